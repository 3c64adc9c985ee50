import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareAttention } from '../../../src/core/store/attention.ts';
import { buildNodeState, type NodeState } from '../../../src/core/store/node-state.ts';
import { ScanAlreadyRunningError } from '../../../src/core/store/scan-already-running-error.ts';
import { emptySeverityCounts, emptyStatusCounts, type ScanRun } from '../../../src/core/store/scan-run.ts';
import type { Verdict } from '../../../src/core/verdict.ts';
import {
  makeFinding,
  makeVerdict,
  RESEARCH_ADVISORY_IDS,
  worstCaseVerdict,
} from '../../core/store/store-fixtures.ts';
import { type DynaliteStore, startDynaliteStore } from './dynalite-store.ts';

const FLEET = 1000;
const T1 = new Date('2025-03-01T00:00:00.000Z');
const T2 = new Date('2025-03-01T06:00:00.000Z');
const LATER = new Date('2025-03-01T07:00:00.000Z');
const nodeId = (i: number) => `i-${String(i).padStart(17, '0')}`;

/** Scan one: every 10 nodes hold 1 critical, 1 high with a hang, 1 pending, 1 unknown, 1 unreachable, 5 compliant. */
function firstScan(i: number): Verdict {
  const node = nodeId(i);
  const tags = {};
  switch (i % 10) {
    case 0:
      return makeVerdict({ node, findings: [makeFinding('RUNC-CVE-2019-5736', 'critical')] });
    case 1:
      return makeVerdict({ node, findings: [makeFinding('SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high', true)] });
    case 2:
      return makeVerdict({
        node,
        status: 'PENDING_REBOOT',
        findings: [],
        pending: [{ id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW', action: 'daemon-reexec', detail: 'pid 1 runs 219' }],
      });
    case 3:
      return makeVerdict({ node, status: 'UNKNOWN', findings: [], reasons: ['output truncated'], ...tags });
    case 4:
      return makeVerdict({ node, status: 'UNREACHABLE', findings: [], facts: {}, reasons: ['TimedOut'] });
    default:
      return makeVerdict({ node, status: 'COMPLIANT', findings: [] });
  }
}

/** Scan two: nodes 0..99 change (critical ones fixed, compliant ones newly at risk); the rest are steady. */
function secondScan(i: number): Verdict {
  const verdict = firstScan(i);
  if (i >= 100) return { ...verdict, facts: { ...verdict.facts, uptimeSeconds: 9_000_000 } };
  if (i % 10 === 0)
    return makeVerdict({ node: nodeId(i), status: 'COMPLIANT', findings: [], facts: { runc: '1.1.12' } });
  if (i % 10 >= 5)
    return makeVerdict({ node: nodeId(i), findings: [makeFinding('RUNC-CVE-2024-21626', 'high')] });
  return verdict;
}

const states = (runId: string, at: Date, scan: (i: number) => Verdict, from = 0, to = FLEET): NodeState[] =>
  Array.from({ length: to - from }, (_, k) =>
    buildNodeState(scan(from + k), {
      runId,
      lastSeen: at,
      tags: { Name: `web-${from + k}`, cluster: 'prod' },
    }),
  );

function run(runId: string, status: ScanRun['status'], startedAt: Date): ScanRun {
  return {
    runId,
    status,
    targets: 'tag:fleet-compliance=on',
    commandIds: ['c-1'],
    startedAt: startedAt.toISOString(),
    ...(status === 'RUNNING' ? {} : { finishedAt: new Date(startedAt.getTime() + 600_000).toISOString() }),
    targeted: FLEET,
    byStatus: emptyStatusCounts(),
    byAdvisory: {},
    bySeverity: emptySeverityCounts(),
    coverage: { missing: 0, missingNodes: [] },
    notes: [],
  };
}

async function itemsPerNode(env: DynaliteStore): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await env.clients.doc.send(
      new ScanCommand({
        TableName: env.server.tableName,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const pk = String(item.pk);
      if (pk.startsWith('NODE#')) counts.set(pk, (counts.get(pk) ?? 0) + 1);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return counts;
}

describe('DynamoFleetStore on dynalite: two scans of 1,000 nodes', () => {
  let env: DynaliteStore;

  beforeAll(async () => {
    env = await startDynaliteStore({ pageSize: 100 });
    await env.store.saveRun(run('r1', 'RUNNING', T1));
    const summary = await env.store.putNodeStates(states('r1', T1, firstScan));
    expect(summary).toMatchObject({ written: FLEET, batches: 40, retries: 0, oversized: 0 });
    await env.store.saveRun(run('r1', 'COMPLETE', T1));
  });
  afterAll(() => env?.close());

  it('spends one write unit per node', () => {
    const stats = env.store.stats.snapshot();
    expect(stats.calls.BatchWriteItem).toBe(40);
    expect(stats.writeUnits).toBe(FLEET + 2); // + the two run items
  });

  it('lists only the non-compliant nodes of a run, most urgent first, across pages', async () => {
    const before = env.store.stats.snapshot().calls.Query ?? 0;
    const listed = await env.store.listAttention({ runIds: ['r1'], now: LATER });
    expect(listed).toHaveLength(500);
    expect(listed.every((s) => s.status !== 'COMPLIANT')).toBe(true);
    expect([...listed].sort(compareAttention)).toEqual(listed);
    // Hang first, then critical, then pending, unknown, unreachable.
    expect(listed[0]!.findings[0]!.hangInProgress).toBe(true);
    expect(listed[100]!.findings[0]!.severity).toBe('critical');
    expect(listed.slice(200).map((s) => s.status)).toEqual([
      ...Array(100).fill('PENDING_REBOOT'),
      ...Array(100).fill('UNKNOWN'),
      ...Array(100).fill('UNREACHABLE'),
    ]);
    // 500 items at 100 a page: the reader followed LastEvaluatedKey.
    expect((env.store.stats.snapshot().calls.Query ?? 0) - before).toBeGreaterThanOrEqual(5);
  });

  it('reads one status with one prefix query', async () => {
    const pending = await env.store.listAttention({
      runIds: ['r1'],
      statuses: ['PENDING_REBOOT'],
      now: LATER,
    });
    expect(pending).toHaveLength(100);
    expect(pending[0]!.pending[0]).toEqual({
      id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW',
      action: 'daemon-reexec',
      detail: 'pid 1 runs 219',
    });
  });

  describe('after a second scan', () => {
    let scanCalls: Readonly<Record<string, number>>;
    let scanWriteUnits: number;

    beforeAll(async () => {
      await env.store.saveRun(run('r2', 'RUNNING', T2));
      env.store.stats.reset();
      await env.store.putNodeStates(states('r2', T2, secondScan));
      ({ calls: scanCalls, writeUnits: scanWriteUnits } = env.store.stats.snapshot());
      await env.store.saveRun(run('r2', 'COMPLETE', T2));
    });

    it('writes each node once and reads nothing (no read-before-write)', () => {
      expect(scanCalls).toEqual({ BatchWriteItem: 40 });
      expect(scanWriteUnits).toBe(FLEET);
    });

    it('adds a history item only for the nodes that changed, and overwrites the steady ones', async () => {
      const counts = await itemsPerNode(env);
      expect(counts.size).toBe(FLEET);
      for (let i = 0; i < FLEET; i += 1) {
        const changed = i < 100 && (i % 10 === 0 || i % 10 >= 5);
        expect(counts.get(`NODE#${nodeId(i)}`), nodeId(i)).toBe(changed ? 2 : 1);
      }
    });

    it("keeps a changed node's history, newest first, and its latest state", async () => {
      const history = await env.store.listNodeHistory(nodeId(0), LATER);
      expect(history.map((s) => [s.runId, s.status])).toEqual([
        ['r2', 'COMPLIANT'],
        ['r1', 'AT_RISK'],
      ]);
      expect((await env.store.getNodeState(nodeId(0), LATER))?.status).toBe('COMPLIANT');
      expect((await env.store.getNodeState(nodeId(999), LATER))?.runId).toBe('r2');
      expect(await env.store.getNodeState('i-nobody', LATER)).toBeUndefined();
    });

    it("moves the steady nodes into the new run's attention list and leaves fixed ones behind", async () => {
      const r2 = await env.store.listAttention({ runIds: ['r2'], now: LATER });
      expect(r2).toHaveLength(500 - 10 + 50);
      expect(r2.some((s) => s.node === nodeId(0))).toBe(false);
      expect(r2.find((s) => s.node === nodeId(5))?.findings[0]?.id).toBe('RUNC-CVE-2024-21626');
      // The old run's partition keeps only the items that did not move: its history.
      const r1 = await env.store.listAttention({ runIds: ['r1'], now: LATER });
      expect(r1.map((s) => s.node).sort()).toEqual(Array.from({ length: 10 }, (_, k) => nodeId(k * 10)));
    });

    it('finds the latest complete run and the trend', async () => {
      expect((await env.store.findLatestCompleteRun(LATER))?.runId).toBe('r2');
      expect((await env.store.listRuns({ limit: 5, now: LATER })).map((r) => r.runId)).toEqual(['r2', 'r1']);
    });

    it('lists the newest state of every node with a parallel scan', async () => {
      const latest = await env.store.listLatestNodeStates(LATER);
      expect(latest).toHaveLength(FLEET);
      expect(latest.every((s) => s.runId === 'r2')).toBe(true);
    });
  });
});

describe('DynamoFleetStore on dynalite: a scan in progress', () => {
  let env: DynaliteStore;
  afterAll(() => env?.close());

  it('merges the complete run with every later one, dropping nodes a later scan found fixed', async () => {
    env = await startDynaliteStore({ pageSize: 50 });
    const T3 = new Date('2025-03-01T06:30:00.000Z');
    await env.store.saveRun(run('r1', 'COMPLETE', T1));
    await env.store.putNodeStates(states('r1', T1, firstScan, 0, 200));
    // r2 failed after rewriting nodes 0..99: their items left r1's partition for r2's.
    await env.store.saveRun(run('r2', 'FAILED', T2));
    await env.store.putNodeStates(states('r2', T2, secondScan, 0, 100));
    // r3 is running and has reached nodes 150..199 (steady since r1).
    await env.store.saveRun(run('r3', 'RUNNING', T3));
    await env.store.putNodeStates(states('r3', T3, firstScan, 150, 200));
    env.store.stats.reset();

    const { runs, nodes } = await env.store.listCurrentAttention({ now: LATER });
    expect(runs.complete?.runId).toBe('r1');
    expect(runs.newer.map((r) => r.runId)).toEqual(['r2', 'r3']);
    const byNode = new Map(nodes.map((s) => [s.node, s]));
    expect(nodes).toHaveLength(byNode.size);
    // Fixed in r2 (compliant items are not indexed): gone, though r1's partition still lists them.
    expect(byNode.has(nodeId(0))).toBe(false);
    // Newly at risk in r2, and steady ones r2 moved out of r1's partition.
    expect(byNode.get(nodeId(5))?.runId).toBe('r2');
    expect(byNode.get(nodeId(1))?.runId).toBe('r2');
    // Not rescanned since r1, and rescanned by the running r3.
    expect(byNode.get(nodeId(101))?.runId).toBe('r1');
    expect(byNode.get(nodeId(151))?.runId).toBe('r3');
    // 0..99 from r2: 40 steady non-compliant + 50 newly at risk; 100..149 from r1 and 150..199 from r3: 25 each.
    expect(nodes).toHaveLength(40 + 50 + 25 + 25);
    expect([...nodes].sort(compareAttention)).toEqual(nodes);
  });

  it('drops items whose ttl has passed though DynamoDB has not deleted them yet', async () => {
    const ttlEnv = await startDynaliteStore();
    try {
      const old = buildNodeState(firstScan(0), { runId: 'r1', lastSeen: T1, historyRetentionDays: 1 });
      await ttlEnv.store.putNodeStates([old]);
      expect(await ttlEnv.store.listAttention({ runIds: ['r1'], now: LATER })).toHaveLength(1);
      const dayAfter = new Date(T1.getTime() + 86_400_000);
      expect(await ttlEnv.store.listAttention({ runIds: ['r1'], now: dayAfter })).toHaveLength(0);
      expect(await ttlEnv.store.getNodeState(nodeId(0), dayAfter)).toBeUndefined();
    } finally {
      await ttlEnv.close();
    }
  });
});

describe('DynamoFleetStore on dynalite: item size', () => {
  it('writes a worst-case node (24 advisories, 10 maximum tags) for one write unit by the service count', async () => {
    const env = await startDynaliteStore();
    try {
      const { verdict, tags, tagKeys } = worstCaseVerdict(RESEARCH_ADVISORY_IDS);
      const state = buildNodeState(verdict, { runId: 'r1', lastSeen: T1, tags, tagKeys });
      expect(await env.store.putNodeStates([state])).toMatchObject({ written: 1, oversized: 0 });
      expect(env.store.stats.snapshot().writeUnits).toBe(1);
      const read = await env.store.getNodeState(verdict.node, LATER);
      expect(read?.findings[0]).toEqual(state.findings[0]);
    } finally {
      await env.close();
    }
  });
});

describe('DynamoFleetStore on dynalite: the scan lock', () => {
  let env: DynaliteStore;
  beforeAll(async () => {
    env = await startDynaliteStore();
  });
  afterAll(() => env?.close());

  it('lets one run in, turns the next away naming the holder, and hands over an expired lease', async () => {
    const lock = await env.store.acquireScanLock({ runId: 'r1', now: T1, leaseSeconds: 900 });
    expect(lock.expiresAt.toISOString()).toBe('2025-03-01T00:15:00.000Z');

    const refused = await env.store
      .acquireScanLock({ runId: 'r2', now: new Date(T1.getTime() + 60_000), leaseSeconds: 900 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ScanAlreadyRunningError);
    expect(refused).toMatchObject({ code: 'store.scan-already-running', holderRunId: 'r1' });
    // A duplicate delivery of the same run is refused too.
    await expect(env.store.acquireScanLock({ runId: 'r1', now: T1, leaseSeconds: 900 })).rejects.toThrow(
      ScanAlreadyRunningError,
    );

    const renewed = await env.store.renewScanLock({
      runId: 'r1',
      now: new Date(T1.getTime() + 600_000),
      leaseSeconds: 900,
    });
    expect(renewed.expiresAt.toISOString()).toBe('2025-03-01T00:25:00.000Z');
    expect(renewed.acquiredAt).toEqual(T1);

    const takeover = await env.store.acquireScanLock({
      runId: 'r3',
      now: new Date('2025-03-01T00:26:00Z'),
      leaseSeconds: 900,
    });
    expect(takeover.runId).toBe('r3');
    await expect(
      env.store.renewScanLock({ runId: 'r1', now: new Date('2025-03-01T00:27:00Z'), leaseSeconds: 900 }),
    ).rejects.toMatchObject({ holderRunId: 'r3' });

    expect(await env.store.releaseScanLock('r1')).toBe(false);
    expect(await env.store.releaseScanLock('r3')).toBe(true);
    expect(await env.store.releaseScanLock('r3')).toBe(false);
    await env.store.acquireScanLock({
      runId: 'r4',
      now: new Date('2025-03-01T00:28:00Z'),
      leaseSeconds: 900,
    });
  });

  it('lets a run renew a lock that was released meanwhile (nobody else can hold it then)', async () => {
    expect(await env.store.releaseScanLock('r4')).toBe(true);
    const renewed = await env.store.renewScanLock({
      runId: 'r4',
      now: new Date('2025-03-01T00:30:00Z'),
      leaseSeconds: 60,
    });
    expect(renewed.acquiredAt.toISOString()).toBe('2025-03-01T00:30:00.000Z');
    await expect(
      env.store.acquireScanLock({ runId: 'r5', now: new Date('2025-03-01T00:30:30Z'), leaseSeconds: 60 }),
    ).rejects.toMatchObject({ holderRunId: 'r4' });
  });
});
