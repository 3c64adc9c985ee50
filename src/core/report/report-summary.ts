import type { ComplianceReport, ReportTotals } from './compliance-report.ts';
import { countOf, formatCount } from './format-count.ts';

/**
 * The one sentence a manager reads first, from the counts only (no node-supplied text).
 *
 * @example summarizeTotals(totals) // '312 of 3,000 nodes are at risk; 41 show a hang in progress.'
 */
export function summarizeTotals(totals: ReportTotals): string {
  const { nodes, byStatus, hangs } = totals;
  if (nodes === 0) return 'The latest scan judged no node.';
  const atRisk = byStatus.AT_RISK;
  const pending = byStatus.PENDING_REBOOT;
  const unknown = byStatus.UNKNOWN;
  const unreachable = byStatus.UNREACHABLE;
  if (byStatus.COMPLIANT === nodes) {
    return nodes === 1 ? 'The only node is compliant.' : `All ${countOf(nodes, 'node')} are compliant.`;
  }

  const parts: string[] = [];
  if (atRisk > 0)
    parts.push(`${formatCount(atRisk)} of ${countOf(nodes, 'node')} ${verb(atRisk, 'is', 'are')} at risk`);
  else
    parts.push(
      nodes === 1 ? 'The only node is not at risk' : `None of the ${countOf(nodes, 'node')} is at risk`,
    );
  if (hangs > 0) parts.push(`${formatCount(hangs)} ${verb(hangs, 'shows', 'show')} a hang in progress`);
  if (pending > 0) {
    parts.push(
      `${formatCount(pending)} ${verb(pending, 'waits', 'wait')} for a re-exec or reboot to finish a fix`,
    );
  }
  const unchecked = unknown + unreachable;
  if (unchecked > 0) {
    const detail = [
      ...(unreachable > 0 ? [`${formatCount(unreachable)} unreachable`] : []),
      ...(unknown > 0 ? [`${formatCount(unknown)} unknown`] : []),
    ].join(', ');
    parts.push(`${formatCount(unchecked)} could not be checked (${detail})`);
  }
  return `${parts.join('; ')}.`;
}

/** SNS allows at most 100 characters of printable ASCII in a subject. */
export const MAX_SUBJECT_CHARS = 100;

/**
 * A notification subject: counts and the scan date only, so it is ASCII and never carries
 * node-supplied text.
 *
 * @example reportSubject(report) // 'Fleet compliance: 312 of 3,000 nodes at risk, 41 hangs (scan 2025-03-01)'
 */
export function reportSubject(report: ComplianceReport): string {
  const { totals } = report;
  const date = report.scan.startedAt.slice(0, 10).replace(/[^0-9-]/g, '');
  const hangs = totals.hangs > 0 ? `, ${countOf(totals.hangs, 'hang')}` : '';
  const pending =
    totals.byStatus.PENDING_REBOOT > 0 ? `, ${formatCount(totals.byStatus.PENDING_REBOOT)} pending` : '';
  const subject = `Fleet compliance: ${formatCount(totals.byStatus.AT_RISK)} of ${countOf(totals.nodes, 'node')} at risk${hangs}${pending} (scan ${date})`;
  return subject.length <= MAX_SUBJECT_CHARS ? subject : `${subject.slice(0, MAX_SUBJECT_CHARS - 3)}...`;
}

/**
 * The plain-text notification body: the summary, the counts, the changes and where the files are.
 * Node-supplied text stays out (ids of hung nodes are in the report, not in the e-mail).
 */
export function reportMessage(report: ComplianceReport, locations: readonly string[] = []): string {
  const { totals, changes, scan } = report;
  const lines = [
    report.summary,
    '',
    `Scan ${scan.runId}, started ${scan.startedAt}${scan.finishedAt ? `, finished ${scan.finishedAt}` : ''}.`,
    `Nodes: ${formatCount(totals.nodes)}`,
    `  at risk:         ${formatCount(totals.byStatus.AT_RISK)}`,
    `  pending reboot:  ${formatCount(totals.byStatus.PENDING_REBOOT)} (re-exec ${formatCount(totals.pendingReexec)}, reboot ${formatCount(totals.pendingReboot)})`,
    `  unknown:         ${formatCount(totals.byStatus.UNKNOWN)}`,
    `  unreachable:     ${formatCount(totals.byStatus.UNREACHABLE)}`,
    `  compliant:       ${formatCount(totals.byStatus.COMPLIANT)}`,
    `Hangs in progress: ${formatCount(totals.hangs)}`,
  ];
  if (changes.previousScan) {
    lines.push(
      '',
      `Since the previous scan (${changes.previousScan.runId}):`,
      `  newly at risk:     ${formatCount(changes.newlyAtRisk.length)}`,
      `  remediated:        ${formatCount(changes.remediated.length)}`,
      `  newly unreachable: ${formatCount(changes.newlyUnreachable.length)}`,
      `  new nodes:         ${changes.newNodesKnown ? formatCount(changes.newNodes.length) : 'not known'}`,
    );
  }
  const top = report.byAdvisory.slice(0, 5);
  if (top.length > 0) {
    lines.push('', 'Most widespread advisories:');
    for (const a of top) lines.push(`  ${a.id} (${a.severity}): ${countOf(a.nodes, 'node')}`);
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Read with care:');
    for (const w of report.warnings) lines.push(`  - ${w}`);
  }
  if (locations.length > 0) lines.push('', 'Full report:', ...locations.map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

function verb(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
