import type { NodeState, StoredFinding } from '../store/node-state.ts';
import {
  type FactsSummary,
  type PendingFix,
  highestSeverity,
  type Severity,
  severityRank,
  VERDICT_STATUSES,
  type VerdictStatus,
} from '../verdict.ts';

/** The advisory severity the catalog gives an id (undefined when the catalog does not know it). */
export type AdvisorySeverityLookup = (advisoryId: string) => Severity | undefined;

/** One node of the at-risk list: its stored state plus what an operator sorts and filters on. */
export interface AtRiskEntry {
  readonly node: string;
  readonly hostname?: string;
  readonly status: VerdictStatus;
  /**
   * The highest severity among the node's findings; for a node whose only problem is an
   * installed-but-not-running fix (PENDING_REBOOT), the highest severity of those advisories: until
   * PID 1 re-executes or the node reboots, it still runs the affected code.
   */
  readonly severity?: Severity;
  /** A finding saw the failure itself on the node (e.g. PID 1 not answering D-Bus): it is failing now. */
  readonly hangInProgress: boolean;
  /** Most urgent first. */
  readonly findings: readonly StoredFinding[];
  readonly findingsOmitted: number;
  readonly pending: readonly PendingFix[];
  readonly tags: Readonly<Record<string, string>>;
  readonly facts: FactsSummary;
  readonly reasons: readonly string[];
  readonly ssmStatus?: string;
  readonly lastSeen: string;
  readonly runId: string;
}

/** A node's severity: its worst finding, else the worst advisory it has a fix pending for. */
export function nodeSeverity(
  state: Pick<NodeState, 'findings' | 'pending'>,
  severityOf?: AdvisorySeverityLookup,
): Severity | undefined {
  return (
    highestSeverity(state.findings.map((f) => f.severity)) ??
    highestSeverity(state.pending.map((p) => severityOf?.(p.id)))
  );
}

export function toAtRiskEntry(state: NodeState, severityOf?: AdvisorySeverityLookup): AtRiskEntry {
  const severity = nodeSeverity(state, severityOf);
  return {
    node: state.node,
    status: state.status,
    hangInProgress: state.findings.some((f) => f.hangInProgress),
    findings: state.findings,
    findingsOmitted: state.findingsOmitted,
    pending: state.pending,
    tags: state.tags,
    facts: state.facts,
    reasons: state.reasons,
    lastSeen: state.lastSeen,
    runId: state.runId,
    ...(state.hostname === undefined ? {} : { hostname: state.hostname }),
    ...(severity === undefined ? {} : { severity }),
    ...(state.ssmStatus === undefined ? {} : { ssmStatus: state.ssmStatus }),
  };
}


/**
 * Most urgent first: a hang in progress (the node is failing now), then severity (none last), then
 * status in verdict order (AT_RISK before PENDING_REBOOT at equal severity), then node id, so the
 * order is total and the same on every read.
 */
export function compareAtRisk(a: AtRiskEntry, b: AtRiskEntry): number {
  if (a.hangInProgress !== b.hangInProgress) return a.hangInProgress ? -1 : 1;
  const sa = a.severity === undefined ? -1 : severityRank(a.severity);
  const sb = b.severity === undefined ? -1 : severityRank(b.severity);
  if (sa !== sb) return sa > sb ? -1 : 1;
  const ta = VERDICT_STATUSES.indexOf(a.status);
  const tb = VERDICT_STATUSES.indexOf(b.status);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}
