import { type Severity, severityRank, type Verdict, type VerdictStatus } from '../verdict.ts';
import { emptySeverityCounts, emptyStatusCounts } from '../store/scan-run.ts';

/**
 * The counts of one scan run, carried from step to step (it must stay small and JSON-shaped: Step
 * Functions passes it between states). Every targeted node adds exactly once.
 */
export interface RunTally {
  readonly nodes: number;
  readonly byStatus: Record<VerdictStatus, number>;
  readonly byAdvisory: Record<string, number>;
  readonly bySeverity: Record<Severity, number>;
  /** Nodes with a hang in progress (a symptom seen on an affected node). */
  readonly hangs: number;
  /** SSM statuses of UNREACHABLE nodes. */
  readonly bySsmStatus: Record<string, number>;
  /** Outputs cut at 2,500 characters that were fetched again whole. */
  readonly refetched: number;
}

export function emptyTally(): RunTally {
  return {
    nodes: 0,
    byStatus: emptyStatusCounts(),
    byAdvisory: {},
    bySeverity: emptySeverityCounts(),
    hangs: 0,
    bySsmStatus: {},
    refetched: 0,
  };
}

/** Adds one node's verdict (returns a new tally; the input is not changed). */
export function addToTally(tally: RunTally, verdict: Verdict, ssmStatus?: string): RunTally {
  const next = cloneTally(tally);
  addInPlace(next, verdict, ssmStatus);
  return next;
}

/** Adds many verdicts at once (one copy, not one per node). */
export function addAllToTally(
  tally: RunTally,
  entries: readonly { readonly verdict: Verdict; readonly ssmStatus?: string }[],
  refetched = 0,
): RunTally {
  const next = cloneTally(tally);
  for (const e of entries) addInPlace(next, e.verdict, e.ssmStatus);
  next.refetched += refetched;
  return next;
}

export function mergeTallies(a: RunTally, b: RunTally): RunTally {
  const next = cloneTally(a);
  next.nodes += b.nodes;
  next.hangs += b.hangs;
  next.refetched += b.refetched;
  for (const [k, v] of Object.entries(b.byStatus)) next.byStatus[k as VerdictStatus] += v;
  for (const [k, v] of Object.entries(b.bySeverity)) next.bySeverity[k as Severity] += v;
  for (const [k, v] of Object.entries(b.byAdvisory)) next.byAdvisory[k] = (next.byAdvisory[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.bySsmStatus)) next.bySsmStatus[k] = (next.bySsmStatus[k] ?? 0) + v;
  return next;
}

type Mutable = {
  nodes: number;
  byStatus: Record<VerdictStatus, number>;
  byAdvisory: Record<string, number>;
  bySeverity: Record<Severity, number>;
  hangs: number;
  bySsmStatus: Record<string, number>;
  refetched: number;
};

function cloneTally(t: RunTally): Mutable {
  return {
    nodes: t.nodes,
    byStatus: { ...t.byStatus },
    byAdvisory: { ...t.byAdvisory },
    bySeverity: { ...t.bySeverity },
    hangs: t.hangs,
    bySsmStatus: { ...t.bySsmStatus },
    refetched: t.refetched,
  };
}

function addInPlace(t: Mutable, verdict: Verdict, ssmStatus: string | undefined): void {
  t.nodes += 1;
  t.byStatus[verdict.status] += 1;
  let worst: Severity | undefined;
  let hang = false;
  for (const f of verdict.findings) {
    t.byAdvisory[f.id] = (t.byAdvisory[f.id] ?? 0) + 1;
    if (!worst || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
    if (f.hangInProgress) hang = true;
  }
  if (worst) t.bySeverity[worst] += 1;
  if (hang) t.hangs += 1;
  if (verdict.status === 'UNREACHABLE' && ssmStatus) t.bySsmStatus[ssmStatus] = (t.bySsmStatus[ssmStatus] ?? 0) + 1;
}
