import { VERDICT_STATUSES } from '../verdict.ts';
import { renderTextTable } from './text-table.ts';

/** The part of a scan summary the table shows (ScanSummary satisfies it). */
export interface SummaryView {
  readonly runId: string;
  readonly targeted: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byAdvisory: Readonly<Record<string, number>>;
  readonly hangs: number;
  readonly refetched: number;
  readonly bySsmStatus: Readonly<Record<string, number>>;
  readonly coverage: { readonly expected: number; readonly missing: number };
}

function percent(n: number, of: number): string {
  return of === 0 ? '0%' : `${((100 * n) / of).toFixed(1)}%`;
}

/** A scan summary for people: statuses, advisories, coverage. */
export function renderScanSummary(s: SummaryView, extra: readonly string[] = []): string {
  const statusRows = VERDICT_STATUSES.map((status) => {
    const n = s.byStatus[status] ?? 0;
    return [status, String(n), percent(n, s.targeted)];
  });
  const advisoryRows = Object.entries(s.byAdvisory)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id, n]) => [id, String(n), percent(n, s.targeted)]);
  const unreachable = Object.entries(s.bySsmStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `Scan ${s.runId}: ${s.targeted} nodes`,
    '',
    renderTextTable(['STATUS', 'NODES', 'SHARE'], statusRows).trimEnd(),
    '',
    advisoryRows.length > 0
      ? renderTextTable(['ADVISORY', 'NODES', 'SHARE'], advisoryRows).trimEnd()
      : 'No advisory matched any node.',
    '',
    `Hangs in progress: ${s.hangs}. Outputs cut at 2,500 characters and fetched whole: ${s.refetched}.`,
    `Coverage: ${s.coverage.expected} nodes selected by the targets, ${s.coverage.missing} never invoked by SSM.`,
  ];
  if (unreachable) lines.push(`Unreachable by SSM status: ${unreachable}.`);
  lines.push(...extra);
  return `${lines.join('\n')}\n`;
}
