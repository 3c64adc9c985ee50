import type { NodeState } from '../store/node-state.ts';

/** One node's state as of a scan, read from its history. */
export interface ScanStates {
  /** Its state in the scan; absent when the scan did not see the node. */
  readonly current?: NodeState;
  /** The state before `current` (or, when `current` is absent, the last one known). */
  readonly previous?: NodeState;
  /** Set when `current` is an item a later scan rewrote (see below). */
  readonly rescannedBy?: string;
}

/**
 * Finds a node's state as of scan `runId` in its history (newest first). Items are keyed by a
 * fingerprint of the state: a steady node's item is rewritten by every scan (its runId moves on),
 * a changed node gets a new item and the older ones stay behind as history. Scans started after
 * `runId` (`newerRunIds`: running, or failed part-way) may already have rewritten items:
 * - their items on top are skipped; if the next item is `runId`'s own, that is the state;
 * - otherwise the oldest of the skipped items is taken as a rewrite of `runId`'s item (the node
 *   was steady across both scans) and flagged `rescannedBy`: the store cannot tell that apart
 *   from a node first seen by the later scan, so the report says so.
 * With nothing from `runId` or later, the node was not in the scan: `previous` is its last state.
 */
export function resolveScanState(
  history: readonly NodeState[],
  runId: string,
  newerRunIds: ReadonlySet<string>,
): ScanStates {
  let skipped = 0;
  while (skipped < history.length && newerRunIds.has(history[skipped]!.runId)) skipped += 1;
  const next = history[skipped];
  if (next?.runId === runId) {
    const previous = history[skipped + 1];
    return { current: next, ...(previous ? { previous } : {}) };
  }
  if (skipped > 0) {
    const current = history[skipped - 1]!;
    return { current, rescannedBy: current.runId, ...(next ? { previous: next } : {}) };
  }
  return next ? { previous: next } : {};
}
