import { csvRow } from '../render/csv.ts';
import { renderTextTable } from '../render/text-table.ts';
import type { AtRiskEntry } from './at-risk-entry.ts';
import type { AtRiskResult, WindowReport } from './query-at-risk.ts';

export const AT_RISK_FORMATS = ['table', 'json', 'csv'] as const;
export type AtRiskFormat = (typeof AT_RISK_FORMATS)[number];

/**
 * The JSON contract of one node (CLI and query endpoint alike). Every key is always present
 * (`null` when unknown) so scripts can rely on the shape; `findings` are advisory ids, most urgent
 * first, and `findingDetails` adds their severity and hang flag.
 */
export function atRiskEntryToJson(e: AtRiskEntry): Record<string, unknown> {
  return {
    node: e.node,
    hostname: e.hostname ?? null,
    status: e.status,
    severity: e.severity ?? null,
    hangInProgress: e.hangInProgress,
    findings: e.findings.map((f) => f.id),
    findingDetails: e.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      hangInProgress: f.hangInProgress,
    })),
    findingsOmitted: e.findingsOmitted,
    pending: e.pending.map((p) => ({ id: p.id, action: p.action, detail: p.detail })),
    tags: { ...e.tags },
    os: e.facts.os ?? null,
    kernel: e.facts.kernel ?? null,
    systemd: e.facts.systemd ?? null,
    facts: { ...e.facts },
    reasons: [...e.reasons],
    ssmStatus: e.ssmStatus ?? null,
    lastSeen: e.lastSeen,
    runId: e.runId,
  };
}

/**
 * Without a window: a plain array of nodes. With one: `{ window, nodes }`, so the window's next
 * run and any target that could not be expanded travel with the list.
 */
export function atRiskToJson(result: AtRiskResult): unknown {
  const nodes = result.entries.map(atRiskEntryToJson);
  return result.window === undefined ? nodes : { window: result.window, nodes };
}

export const AT_RISK_CSV_HEADER = [
  'node',
  'hostname',
  'status',
  'severity',
  'hang_in_progress',
  'findings',
  'pending',
  'tags',
  'os',
  'kernel',
  'systemd',
  'last_seen',
  'run_id',
] as const;

/** One row per node; node-supplied text goes through csvCell (formula injection, quoting). */
export function atRiskToCsv(entries: readonly AtRiskEntry[]): string {
  let out = csvRow(AT_RISK_CSV_HEADER);
  for (const e of entries) {
    out += csvRow([
      e.node,
      e.hostname,
      e.status,
      e.severity,
      e.hangInProgress,
      e.findings.map((f) => f.id).join(' '),
      e.pending.map((p) => `${p.id}:${p.action}`).join(' '),
      formatTags(e.tags),
      e.facts.os,
      e.facts.kernel,
      e.facts.systemd,
      e.lastSeen,
      e.runId,
    ]);
  }
  return out;
}

export const AT_RISK_TABLE_HEADER = [
  'NODE',
  'HOSTNAME',
  'STATUS',
  'SEVERITY',
  'FINDINGS',
  'PENDING',
  'TAGS',
  'LAST SEEN',
];

export function atRiskToTable(result: AtRiskResult): string {
  const rows = result.entries.map((e) => [
    e.node,
    e.hostname ?? '',
    e.status,
    `${e.severity ?? '-'}${e.hangInProgress ? ' HANG' : ''}`,
    e.findings.map((f) => f.id).join(',') + (e.findingsOmitted > 0 ? ` +${e.findingsOmitted}` : ''),
    e.pending.map((p) => `${p.id}:${p.action}`).join(','),
    formatTags(e.tags),
    e.lastSeen,
  ]);
  const head = result.window === undefined ? '' : `${windowHeadline(result.window)}\n`;
  if (rows.length === 0) return `${head}no nodes match\n`;
  return head + renderTextTable(AT_RISK_TABLE_HEADER, rows);
}

/** `Window prod-eu-1 (mw-…) next runs 2025-01-07T02:00Z: 37 nodes at risk`. */
export function windowHeadline(window: WindowReport): string {
  const next = window.nextExecutionTime
    ? `next runs ${window.nextExecutionTime}${
        window.nextExecutionUtc !== undefined && !window.nextExecutionTime.endsWith('Z')
          ? ` (${window.nextExecutionUtc.replace(/:00\.000Z$/, 'Z')})`
          : ''
      }`
    : 'has no scheduled run';
  const count = `${window.nodes} node${window.nodes === 1 ? '' : 's'} at risk`;
  const partial = window.complete
    ? ''
    : ` (incomplete: ${window.unresolvedTargets.length} target(s) not expanded)`;
  return `Window ${clean(window.name)} (${window.windowId}) ${next}: ${count}${partial}`;
}

/** `k=v; k=v`, keys sorted so the cell is stable. */
export function formatTags(tags: Readonly<Record<string, string>>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join('; ');
}

function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
