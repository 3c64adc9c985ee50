import type { FactsSummary, Severity, VerdictStatus } from '../verdict.ts';
import { FACT_TEXT_FIELDS } from '../verdict.ts';
import { hashFnv1a64 } from './hash-fnv1a64.ts';

/** What defines a node's state; a Verdict and a NodeState both fit. */
export interface FingerprintInput {
  readonly status: VerdictStatus;
  readonly findings: readonly {
    readonly id: string;
    readonly severity: Severity;
    readonly hangInProgress: boolean;
  }[];
  readonly pending: readonly { readonly id: string; readonly action: string }[];
  readonly facts: FactsSummary;
  readonly ssmStatus?: string | undefined;
}

/** Bump when the recipe changes: every node then gets one new state item, never a false match. */
const RECIPE = 'fp1';

/**
 * A short stable name for a node's state: status, findings (id, severity, hang), pending fixes,
 * version facts and SSM status. Independent of the order findings and fixes arrive in, and of
 * everything that changes while the state does not (lastSeen, runId, uptime, tags, reasons,
 * hostname). A steady node therefore rewrites the same item every scan, and a changed node gets a
 * new one, which leaves the old one behind as history.
 */
export function fingerprintNodeState(input: FingerprintInput): string {
  const findings = input.findings.map((f) => `${f.id}|${f.severity}|${f.hangInProgress ? 1 : 0}`).sort();
  const pending = input.pending.map((p) => `${p.id}|${p.action}`).sort();
  const facts = FACT_TEXT_FIELDS.map((name) => input.facts[name] ?? null);
  const canonical = JSON.stringify([RECIPE, input.status, findings, pending, facts, input.ssmStatus ?? null]);
  return hashFnv1a64(canonical);
}
