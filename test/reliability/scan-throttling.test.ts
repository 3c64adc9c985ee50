import { describe, expect, it } from 'vitest';
import { buildLocalFleet } from '../../src/local/local-fleet.ts';
import { runScanSteps } from '../../src/local/local-scan.ts';
import { createThrottler, type ThrottleRule } from '../../src/local/ssm-simulator/fault-plan.ts';
import {
  calmVerdicts,
  expectNoWorseThanCalm,
  expectRunInvariants,
  type FleetSpec,
  fleetNodeIds,
  type Harness,
  scanInput,
  startHarness,
} from './scan-harness.ts';

/**
 * Throttling bursts on every SSM and DynamoDB operation a scan makes, and UnprocessedItems on
 * every multi-item BatchWriteItem, all at once, through the real SDK clients (adaptive retry) and
 * the store's own UnprocessedItems loop. Nothing may be dropped: every page is read, every state
 * written, every node counted once, and the verdicts are those of a calm scan.
 */

/**
 * The SSM and Tagging operations of a scan, with a throttling rule each, and how many calls of it
 * a 120-node scan makes at most (retries included).
 */
const SSM_RULES: Readonly<Record<string, ThrottleRule>> = {
  GetResources: { probability: 0.3, burst: 2 },
  SendCommand: { probability: 0.3, burst: 2 },
  GetCommandInvocation: { probability: 0.3, burst: 2 },
  ListCommands: { probability: 0.1, burst: 2 },
  ListCommandInvocations: { probability: 0.2, burst: 2 },
};
const CALLS_PER_SCAN: Readonly<Record<string, number>> = {
  GetResources: 4,
  SendCommand: 3,
  GetCommandInvocation: 6,
  ListCommands: 10,
  ListCommandInvocations: 8,
};

/**
 * The simulator throttles by chance, per operation. Pick the first plan seed under which every
 * operation's first call starts a burst and no second burst follows within the calls a scan makes:
 * each operation is throttled, exactly one burst each (every throttle costs the adaptive client
 * seconds), a deterministic search over the simulator's own throttler.
 */
function seedThrottlingEveryFirstCall(rules: Readonly<Record<string, ThrottleRule>>): number {
  for (let seed = 1; seed < 5_000_000; seed += 1) {
    const throttler = createThrottler({ seed, throttle: rules });
    const ok = Object.entries(rules).every(([op, rule]) => {
      const pattern = Array.from({ length: CALLS_PER_SCAN[op] ?? 12 }, () => throttler.shouldThrottle(op));
      return pattern.every((refused, i) => refused === i < rule.burst);
    });
    if (ok) return seed;
  }
  throw new Error('no seed throttles every first call');
}

async function scanAndCheck(h: Harness, runId: string, spec: FleetSpec) {
  const { summary, timingsMs } = await runScanSteps(h.deps, scanInput(runId), 25);
  const states = await expectRunInvariants(h.store, runId, summary, fleetNodeIds(h.fleet));
  expect(expectNoWorseThanCalm(states, calmVerdicts(spec), h.fleet)).toBe(spec.nodes);
  return { summary, timingsMs };
}

/** What each test injected, for the figures in docs/RELIABILITY.md. */
function report(label: string, h: Harness, timingsMs: unknown): void {
  const dynamo = h.proxy?.stats();
  const figures = {
    ssmThrottled: h.env.simulatorCalls().throttled,
    dynamoThrottled: dynamo ? Object.values(dynamo.throttled).reduce((n, v) => n + v, 0) : 0,
    unprocessedItems: dynamo?.unprocessedItems ?? 0,
    partialBatches: dynamo?.partialBatches ?? 0,
    timingsMs,
  };
  console.log(`${label}: ${JSON.stringify(figures)}`);
}

function expectEverySsmOperationThrottled(h: Harness): void {
  const ssm = h.env.simulatorCalls().byOperation;
  for (const op of Object.keys(SSM_RULES)) expect(ssm[op]?.throttled ?? 0, `${op} throttled`).toBeGreaterThan(0);
}

function expectEveryDynamoOperationThrottled(h: Harness): void {
  const dynamo = h.proxy!.stats();
  expect(Object.keys(dynamo.calls)).toEqual(expect.arrayContaining(['PutItem', 'BatchWriteItem', 'Query', 'GetItem', 'DeleteItem']));
  for (const op of Object.keys(dynamo.calls)) expect(dynamo.throttled[op] ?? 0, `${op} throttled`).toBeGreaterThan(0);
}

function expectEveryBatchPartial(h: Harness, nodes: number): void {
  const dynamo = h.proxy!.stats();
  expect(dynamo.multiItemBatches).toBeGreaterThan(0);
  expect(dynamo.partialBatches).toBe(dynamo.multiItemBatches);
  expect(dynamo.unprocessedItems).toBeGreaterThan(nodes / 2);
}

/*
 * Each throttle costs the SDK's adaptive mode seconds (a 500 ms-based backoff, then a client-side
 * rate cut to the measured rate), so the three faults run as three concurrent scans by default;
 * `npm run test:heavy` also runs them all at once on one scan.
 */
describe.concurrent('scans under throttling on every operation, and UnprocessedItems on every batch', () => {
  it('throttling bursts on every SSM and Tagging operation drop no page and no node', async ({ onTestFinished }) => {
    const spec = { nodes: 120, seed: 5, faults: 'none' } as const;
    // Three outputs too long for the listing, so GetCommandInvocation is called (and throttled) too.
    const generated = buildLocalFleet(spec);
    const nodes = generated.nodes.map((n) => (n.index % 40 === 0 ? { ...n, fault: 'oversized' as const } : n));
    const byId = new Map(nodes.map((n) => [n.instanceId, n]));
    const fleet = { ...generated, nodes, byId: (id: string) => byId.get(id) };
    const h = await startHarness(spec, { fleet, faultPlan: { seed: seedThrottlingEveryFirstCall(SSM_RULES), throttle: SSM_RULES } });
    onTestFinished(() => h.close());
    const { timingsMs } = await scanAndCheck(h, 'ssm-throttled', spec);
    expectEverySsmOperationThrottled(h);
    report('ssm throttling', h, timingsMs);
  }, 90_000);

  it('throttling bursts on every DynamoDB operation drop no state and no node', async ({ onTestFinished }) => {
    const spec = { nodes: 120, seed: 8, faults: 'none' } as const;
    const h = await startHarness(spec, { faultPlan: {}, dynamoFaults: { seed: 9, throttle: { firstBurst: 2, probability: 0, burst: 2 } } });
    onTestFinished(() => h.close());
    const { timingsMs } = await scanAndCheck(h, 'dynamo-throttled', spec);
    expectEveryDynamoOperationThrottled(h);
    report('dynamodb throttling', h, timingsMs);
  }, 90_000);

  it('UnprocessedItems on every multi-item BatchWriteItem are re-sent until every state is written', async ({ onTestFinished }) => {
    const spec = { nodes: 160, seed: 6, faults: 'none' } as const;
    const h = await startHarness(spec, { faultPlan: {}, dynamoFaults: { seed: 10, unprocessedHalf: true }, storeRetryBaseDelayMs: 20 });
    onTestFinished(() => h.close());
    const { timingsMs } = await scanAndCheck(h, 'unprocessed', spec);
    expectEveryBatchPartial(h, spec.nodes);
    report('unprocessed items', h, timingsMs);
  }, 90_000);

  it.runIf(process.env.FLEET_FUZZ_RUNS !== undefined)(
    'all of them at once, on one scan (heavy run only)',
    async ({ onTestFinished }) => {
      const spec = { nodes: 160, seed: 12, faults: 'chaos' } as const;
      const h = await startHarness(spec, {
        faultPlan: { seed: seedThrottlingEveryFirstCall(SSM_RULES), throttle: SSM_RULES },
        dynamoFaults: { seed: 13, throttle: { firstBurst: 2, probability: 0.01, burst: 2 }, unprocessedHalf: true },
        storeRetryBaseDelayMs: 20,
      });
      onTestFinished(() => h.close());
      const { timingsMs } = await scanAndCheck(h, 'everything-at-once', spec);
      expectEverySsmOperationThrottled(h);
      expectEveryDynamoOperationThrottled(h);
      expectEveryBatchPartial(h, spec.nodes);
      report('all at once', h, timingsMs);
    },
    180_000,
  );
});
