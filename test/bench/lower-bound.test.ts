/**
 * The lower bound of issue 7: 1 SendCommand + ceil(N/50) ListCommandInvocations pages +
 * ceil(N/25) BatchWriteItem calls. Rows: [nodes, calls], worked by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  lowerBoundCalls,
  lowerBoundCallsPerNode,
  naiveFloorCalls,
} from '../../src/core/bench/lower-bound.ts';

const ROWS = [
  [1, 3],
  [25, 3],
  [26, 4],
  [50, 4],
  [51, 6],
  [1_000, 61],
  [10_000, 601],
  [100_000, 6_001],
  [99_999, 6_001],
] as const;

describe('lowerBoundCalls', () => {
  it.for(ROWS)('takes %i nodes to %i calls', ([nodes, calls]) => {
    expect(lowerBoundCalls(nodes)).toBe(calls);
  });

  it('is 0.0601 calls per node at 10,000 nodes, the figure the issue measures against', () => {
    expect(lowerBoundCallsPerNode(10_000)).toBeCloseTo(0.0601, 10);
  });

  it('is zero for an empty fleet rather than dividing by zero', () => {
    expect(lowerBoundCalls(0)).toBe(0);
    expect(lowerBoundCallsPerNode(0)).toBe(0);
  });

  it('never exceeds the naive floor', () => {
    for (const [nodes] of ROWS) expect(lowerBoundCalls(nodes)).toBeLessThan(naiveFloorCalls(nodes, 1));
  });
});

describe('naiveFloorCalls', () => {
  it('counts SendCommand, the polls, the listing pages and two calls per node', () => {
    expect(naiveFloorCalls(10_000, 7)).toBe(1 + 7 + 200 + 20_000);
  });
});
