import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeState, type NodeState } from '../../../src/core/store/node-state.ts';
import type { Verdict } from '../../../src/core/verdict.ts';
import { makeFinding, makeVerdict } from '../../core/store/store-fixtures.ts';
import { type DynaliteStore, startDynaliteStore } from './dynalite-store.ts';

const T1 = new Date('2025-03-01T00:00:00.000Z');
const T2 = new Date('2025-03-01T06:00:00.000Z');
const T3 = new Date('2025-03-01T12:00:00.000Z');
const LATER = new Date('2025-03-01T13:00:00.000Z');
const FLEET = 250;
const nodeId = (i: number) => `i-${String(i).padStart(17, '0')}`;

/** Scan k of node i: every 5th node flips between compliant and at risk each scan, the rest are steady. */
function verdict(i: number, scan: number): Verdict {
  const node = nodeId(i);
  if (i % 5 === 0 && scan % 2 === 1)
    return makeVerdict({ node, findings: [makeFinding('RUNC-CVE-2024-21626', 'high')] });
  if (i % 5 === 0 && scan === 2)
    return makeVerdict({ node, status: 'COMPLIANT', findings: [], facts: { runc: '1.1.12' } });
  return makeVerdict({ node, status: 'COMPLIANT', findings: [], facts: { runc: '1.1.5' } });
}

const scan = (runId: string, at: Date, k: number, count = FLEET): NodeState[] =>
  Array.from({ length: count }, (_, i) =>
    buildNodeState(verdict(i, k), { runId, lastSeen: at, historyRetentionDays: 1 }),
  );

describe('DynamoFleetStore.listNodeHistories on dynalite', () => {
  let env: DynaliteStore;

  beforeAll(async () => {
    // Small pages and several segments: the reader must follow LastEvaluatedKey in each segment.
    env = await startDynaliteStore({ pageSize: 40, scanSegments: 3 });
    await env.store.putNodeStates(scan('r1', T1, 0));
    await env.store.putNodeStates(scan('r2', T2, 1));
    // Scan three misses the last 10 nodes.
    await env.store.putNodeStates(scan('r3', T3, 2, FLEET - 10));
  });
  afterAll(() => env?.close());

  it('returns every node once, in id order, each with its states newest first', async () => {
    const histories = await env.store.listNodeHistories(LATER);

    expect(histories).toHaveLength(FLEET);
    expect(histories.map((h) => h[0]!.node)).toEqual(Array.from({ length: FLEET }, (_, i) => nodeId(i)));
    for (const history of histories) {
      expect(new Set(history.map((s) => s.node)).size).toBe(1);
      const times = history.map((s) => s.lastSeen);
      expect([...times].sort().reverse()).toEqual(times);
    }
  });

  it('keeps a changed node’s older states as its history and a steady node as one item', async () => {
    const histories = await env.store.listNodeHistories(LATER);
    const byNode = new Map(histories.map((h) => [h[0]!.node, h]));

    // Flipping node: compliant (r1) -> at risk (r2) -> compliant with another runc (r3): three items.
    expect(byNode.get(nodeId(0))!.map((s) => [s.runId, s.status])).toEqual([
      ['r3', 'COMPLIANT'],
      ['r2', 'AT_RISK'],
      ['r1', 'COMPLIANT'],
    ]);
    // Steady node: one item, rewritten by each scan.
    expect(byNode.get(nodeId(1))!.map((s) => s.runId)).toEqual(['r3']);
    // Missed by r3: its newest state is still r2's.
    expect(byNode.get(nodeId(FLEET - 1))!.map((s) => s.runId)).toEqual(['r2']);
  });

  it('agrees with listLatestNodeStates and listNodeHistory', async () => {
    const [histories, latest, one] = await Promise.all([
      env.store.listNodeHistories(LATER),
      env.store.listLatestNodeStates(LATER),
      env.store.listNodeHistory(nodeId(5), LATER),
    ]);

    expect(histories.map((h) => h[0])).toEqual(latest);
    expect(histories[5]).toEqual(one);
  });

  it('leaves expired states out', async () => {
    // Retention is one day from each state's lastSeen: two days after r1 only r2/r3 states would
    // be left, and r3's too expire a day after T3.
    const afterR1Expired = new Date(T1.getTime() + 86_400_000 + 1000);
    const histories = await env.store.listNodeHistories(afterR1Expired);

    expect(histories.flat().some((s) => s.runId === 'r1')).toBe(false);
    expect(histories.find((h) => h[0]!.node === nodeId(0))!.map((s) => s.runId)).toEqual(['r3', 'r2']);
    expect(await env.store.listNodeHistories(new Date(T3.getTime() + 2 * 86_400_000))).toEqual([]);
  });

  it('reads no run or lock items as nodes', async () => {
    await env.store.saveRun({
      runId: 'r3',
      status: 'COMPLETE',
      targets: 't',
      commandIds: [],
      startedAt: T3.toISOString(),
      targeted: FLEET - 10,
      byStatus: { AT_RISK: 0, PENDING_REBOOT: 0, COMPLIANT: FLEET - 10, UNKNOWN: 0, UNREACHABLE: 0 },
      byAdvisory: {},
      bySeverity: { low: 0, medium: 0, high: 0, critical: 0 },
      coverage: { missing: 0, missingNodes: [] },
      notes: [],
    });
    await env.store.acquireScanLock({ runId: 'r4', now: LATER, leaseSeconds: 60 });

    expect(await env.store.listNodeHistories(LATER)).toHaveLength(FLEET);
  });
});
