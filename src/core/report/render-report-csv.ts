import { csvRow } from '../render/csv.ts';
import { FACT_TEXT_FIELDS } from '../verdict.ts';
import type { ComplianceReport, ReportNode } from './compliance-report.ts';

/** Columns of report.csv, in order (a stable contract for spreadsheets and scripts). */
export const REPORT_CSV_COLUMNS = [
  'node',
  'hostname',
  'status',
  'max_severity',
  'hang_in_progress',
  'findings',
  'findings_omitted',
  'pending',
  ...FACT_TEXT_FIELDS,
  'cluster',
  'ssm_status',
  'reasons',
  'last_seen',
  'run_id',
  'in_latest_scan',
] as const;

/**
 * report.csv: one row per node, the latest scan's nodes first (most urgent first), then the nodes
 * not seen in it (`in_latest_scan` = `no`). Every cell goes through csvCell: node-supplied text
 * that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) is neutralised.
 */
export function renderReportCsv(report: ComplianceReport): string {
  const lines = [csvRow(REPORT_CSV_COLUMNS)];
  for (const node of report.nodes) lines.push(csvRow(nodeCells(node, true)));
  for (const node of report.notInLatestScan) lines.push(csvRow(nodeCells(node, false)));
  return lines.join('');
}

function nodeCells(node: ReportNode, inLatestScan: boolean): (string | number)[] {
  const f = node.facts;
  return [
    node.node,
    node.hostname ?? '',
    node.status,
    node.maxSeverity ?? '',
    node.hangInProgress ? 'yes' : 'no',
    node.findings.map((x) => x.id).join(' '),
    node.findingsOmitted,
    node.pending.map((p) => `${p.id}:${p.action}`).join(' '),
    ...FACT_TEXT_FIELDS.map((name) => f[name] ?? ''),
    node.cluster ?? '',
    node.ssmStatus ?? '',
    node.reasons.join(' | '),
    node.lastSeen,
    node.runId,
    inLatestScan ? 'yes' : 'no',
  ];
}
