/**
 * The fewest AWS calls any scanner of this design can make for N nodes (issue 7): one SendCommand,
 * one ListCommandInvocations page per 50 invocations (the API's MaxResults cap, research anchors
 * A1) and one BatchWriteItem per 25 node items (its request cap, anchors A7).
 */
export const INVOCATIONS_PER_PAGE = 50;
export const ITEMS_PER_BATCH_WRITE = 25;

export function lowerBoundCalls(nodes: number): number {
  if (!Number.isFinite(nodes) || nodes <= 0) return 0;
  const n = Math.ceil(nodes);
  return 1 + Math.ceil(n / INVOCATIONS_PER_PAGE) + Math.ceil(n / ITEMS_PER_BATCH_WRITE);
}

export function lowerBoundCallsPerNode(nodes: number): number {
  return nodes > 0 ? lowerBoundCalls(nodes) / nodes : 0;
}

/**
 * What the naive scanner (src/bench/naive-scan.ts) must make: SendCommand, its status polls, the
 * listing pages without details, then one GetCommandInvocation and one PutItem per node. The
 * measured figure is what the bench reports; this is its floor, for a cross-check.
 */
export function naiveFloorCalls(nodes: number, polls: number): number {
  if (!Number.isFinite(nodes) || nodes <= 0) return 0;
  const n = Math.ceil(nodes);
  return 1 + Math.max(0, polls) + Math.ceil(n / INVOCATIONS_PER_PAGE) + 2 * n;
}
