import type { VerdictStatus } from '../verdict.ts';
import type { NodeState } from './node-state.ts';
import {
  ATTENTION_STATUSES,
  attentionPartitionKey,
  attentionSortKey,
  attentionStatusPrefix,
} from './table-keys.ts';

/** One Query of the attention index: a run's partition, optionally one status's prefix. */
export interface AttentionQueryPlan {
  readonly runId: string;
  readonly partitionKey: string;
  readonly sortKeyPrefix?: string;
}

/**
 * One Query per run when every status is wanted (the partition is already in status order), else
 * one per run and status. COMPLIANT is never in the index, so asking for it adds no query.
 */
export function planAttentionQueries(
  runIds: readonly string[],
  statuses?: readonly VerdictStatus[],
): AttentionQueryPlan[] {
  const wanted = ATTENTION_STATUSES.filter((s) => statuses === undefined || statuses.includes(s));
  const whole = wanted.length === ATTENTION_STATUSES.length;
  const plans: AttentionQueryPlan[] = [];
  for (const runId of new Set(runIds)) {
    const partitionKey = attentionPartitionKey(runId);
    if (whole) {
      plans.push({ runId, partitionKey });
      continue;
    }
    for (const status of wanted)
      plans.push({ runId, partitionKey, sortKeyPrefix: attentionStatusPrefix(status)! });
  }
  return plans;
}

/** TTL deletes late (up to ~2 days): an item whose ttl has passed is treated as gone. */
export function isExpired(state: Pick<NodeState, 'expiresAt'>, now: Date): boolean {
  return state.expiresAt <= Math.floor(now.getTime() / 1000);
}

/** Newer first: lastSeen, then run id, then fingerprint, so ties resolve the same way every time. */
export function compareRecency(a: NodeState, b: NodeState): number {
  if (a.lastSeen !== b.lastSeen) return a.lastSeen > b.lastSeen ? -1 : 1;
  if (a.runId !== b.runId) return a.runId > b.runId ? -1 : 1;
  if (a.fingerprint !== b.fingerprint) return a.fingerprint > b.fingerprint ? -1 : 1;
  return 0;
}

/** The newest unexpired state of each node, in input order of first appearance. */
export function pickLatestByNode(states: Iterable<NodeState>, now: Date): NodeState[] {
  const latest = new Map<string, NodeState>();
  for (const state of states) {
    if (isExpired(state, now)) continue;
    const seen = latest.get(state.node);
    if (!seen || compareRecency(state, seen) < 0) latest.set(state.node, state);
  }
  return [...latest.values()];
}

/** At-risk list order: status (AT_RISK first), then urgency (hang, critical, ...), then node id. */
export function compareAttention(a: NodeState, b: NodeState): number {
  const ka = attentionSortKey(a.status, a.findings, a.node) ?? '9';
  const kb = attentionSortKey(b.status, b.findings, b.node) ?? '9';
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Nodes whose newest attention item comes from an older run than `newestRunId`: the newer run may
 * have found them compliant (a compliant item has no attention key, so the index cannot say), so
 * their own partition must be checked.
 */
export function nodesToConfirm(states: readonly NodeState[], newestRunId: string): string[] {
  return states.filter((s) => s.runId !== newestRunId).map((s) => s.node);
}
