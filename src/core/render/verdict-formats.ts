import type { Severity, Verdict } from '../verdict.ts';
import { FACT_TEXT_FIELDS, highestSeverity } from '../verdict.ts';
import { csvRow } from './csv.ts';

/** The highest severity among a verdict's findings, if any. */
export function maxSeverity(verdict: Pick<Verdict, 'findings'>): Severity | undefined {
  return highestSeverity(verdict.findings.map((f) => f.severity));
}

/** One `evaluate --format jsonl` line: the contract fields first (`node`, `status`, `findings`). */
export function verdictToJson(verdict: Verdict): Record<string, unknown> {
  return {
    node: verdict.node,
    status: verdict.status,
    findings: verdict.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      title: f.title,
      hangInProgress: f.hangInProgress,
      confidence: f.confidence,
      evidence: f.evidence,
      remediation: f.remediation,
      actions: f.actions,
      rebootRequired: f.rebootRequired,
      reexecRequired: f.reexecRequired,
      references: f.references,
    })),
    pending: verdict.pending,
    reasons: verdict.reasons,
    hostname: verdict.hostname,
    facts: verdict.facts,
  };
}

export const VERDICT_CSV_HEADER = [
  'node',
  'hostname',
  'status',
  'max_severity',
  'findings',
  'pending',
  ...FACT_TEXT_FIELDS,
  'reasons',
] as const;

export function verdictCsvHeader(): string {
  return csvRow(VERDICT_CSV_HEADER);
}

export function verdictCsvRow(v: Verdict): string {
  return csvRow([
    v.node,
    v.hostname,
    v.status,
    maxSeverity(v),
    v.findings.map((f) => f.id).join(' '),
    v.pending.map((p) => `${p.id}:${p.action}`).join(' '),
    ...FACT_TEXT_FIELDS.map((name) => v.facts[name]),
    v.reasons.join('; '),
  ]);
}

export const VERDICT_TABLE_HEADER = ['NODE', 'STATUS', 'SEVERITY', 'FINDINGS', 'OS', 'SYSTEMD'] as const;

export function verdictTableRow(v: Verdict): string[] {
  const findings =
    v.findings.map((f) => (f.hangInProgress ? `${f.id}(hang)` : f.id)).join(' ') ||
    v.pending.map((p) => `${p.id}:${p.action}`).join(' ') ||
    (v.status === 'COMPLIANT' ? '-' : (v.reasons[0] ?? '-'));
  return [v.node, v.status, maxSeverity(v) ?? '-', findings, v.facts.os ?? '-', v.facts.systemd ?? '-'];
}
