import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScanCheckHandler } from '../../lambdas/scan-check/handler.ts';
import { createScanCollectHandler } from '../../lambdas/scan-collect/handler.ts';
import { createScanDispatchHandler } from '../../lambdas/scan-dispatch/handler.ts';
import { SCAN_ALREADY_RUNNING_ERROR } from '../../lib/constructs/scan-state-machine.ts';
import { createScanFailHandler } from '../../lambdas/scan-fail/handler.ts';
import { createScanFinalizeHandler } from '../../lambdas/scan-finalize/handler.ts';
import { SCAN_METRICS, type ScanMetricsSink } from '../../lambdas/scan-finalize/scan-metrics.ts';
import type { EnvSource } from '../../lambdas/shared/env.ts';
import type { HandlerOptions } from '../../lambdas/shared/handler-options.ts';
import { type LambdaContextLike, lazyScanRuntime, type ScanRuntime } from '../../lambdas/shared/scan-deps.ts';
import {
  createDynamoClients,
  type DynamoClients,
} from '../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { ScanAlreadyRunningError } from '../../src/core/store/scan-already-running-error.ts';
import { VERDICT_STATUSES } from '../../src/core/verdict.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../src/local/embedded-dynamodb.ts';
import type { ScanState } from '../../src/pipeline/scan-state.ts';
import { type SimulatedFleet, startSimulatedFleet } from '../adapters/ssm/simulated-fleet.ts';

const CLUSTERS = ['prod-us-1', 'prod-eu-1', 'prod-us-2', 'staging', 'batch'];
const silent = new Logger({ serviceName: 'fleet-compliance-test', logLevel: 'SILENT' });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Step Functions carries state between steps as JSON. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function lambdaContext(remainingMs = 900_000): LambdaContextLike {
  return { awsRequestId: 'req-test', getRemainingTimeInMillis: () => remainingMs };
}

class RecordingMetrics implements ScanMetricsSink {
  readonly published: Record<string, number>[] = [];
  private pending: Record<string, number> = {};
  addMetric(name: string, _unit: string, value: number): void {
    this.pending[name] = value;
  }
  publishStoredMetrics(): void {
    this.published.push(this.pending);
    this.pending = {};
  }
}

interface Steps {
  readonly dispatch: ReturnType<typeof createScanDispatchHandler>;
  readonly check: ReturnType<typeof createScanCheckHandler>;
  readonly collect: ReturnType<typeof createScanCollectHandler>;
  readonly finalize: ReturnType<typeof createScanFinalizeHandler>;
  readonly fail: ReturnType<typeof createScanFailHandler>;
  readonly metrics: RecordingMetrics;
  readonly runtime: ScanRuntime;
}

describe('scan Lambda handlers against the SSM simulator and dynalite', () => {
  let sim: SimulatedFleet;
  let dynamo: EmbeddedDynamo;
  let clients: DynamoClients;
  let store: DynamoFleetStore;
  const runtimes: ScanRuntime[] = [];

  /** The environment the stack would set, pointed at the local servers. */
  const envOf = (overrides: Record<string, string> = {}): EnvSource => ({
    FLEET_TABLE_NAME: dynamo.tableName,
    FLEET_PROBE_DOCUMENT: 'FleetComplianceProbe',
    FLEET_TARGETS: `tag:cluster=${CLUSTERS.join(',')}`,
    FLEET_SCAN_DEADLINE_SECONDS: '120',
    FLEET_LOCAL_SSM_ENDPOINT: sim.simulator.endpoint,
    FLEET_LOCAL_DYNAMODB_ENDPOINT: dynamo.endpoint,
    ...overrides,
  });

  /** Every step built from one environment, sharing one runtime (one set of clients) as a test convenience. */
  function stepsFor(env: EnvSource): Steps {
    const runtime = lazyScanRuntime(env);
    runtimes.push(runtime);
    const metrics = new RecordingMetrics();
    const options: HandlerOptions = { runtime, logger: silent };
    return {
      dispatch: createScanDispatchHandler(options),
      check: createScanCheckHandler(options),
      collect: createScanCollectHandler(options),
      finalize: createScanFinalizeHandler({ ...options, metrics }),
      fail: createScanFailHandler(options),
      metrics,
      runtime,
    };
  }

  /** What the state machine does between dispatch and finalize: wait/check, then collect passes. */
  async function runToCollected(steps: Steps, start: ScanState, context: LambdaContextLike) {
    let state = start;
    for (let checks = 0; !state.ready; checks += 1) {
      if (checks > 200) throw new Error('the scan never became ready');
      await sleep(100);
      state = await steps.check(overTheWire(state), context);
    }
    let passes = 0;
    while (!state.collected) {
      if (passes > 200) throw new Error('collect never finished');
      state = await steps.collect(overTheWire(state), context);
      passes += 1;
    }
    return { state, passes };
  }

  const targeted = () => sim.fleet.nodes.filter((n) => CLUSTERS.includes(n.tags.cluster ?? ''));

  beforeAll(async () => {
    // The real clock, with AWS timeouts scaled down 1,000 times: offline and vanished nodes settle in seconds.
    sim = await startSimulatedFleet({ nodes: 360, faults: 'chaos', manualClock: false, timeoutScale: 0.001 });
    dynamo = await startEmbeddedDynamo();
    clients = createDynamoClients({ endpoint: dynamo.endpoint });
    store = new DynamoFleetStore({ doc: clients.doc, tableName: dynamo.tableName });
  });

  afterAll(async () => {
    for (const runtime of runtimes) runtime.destroy();
    clients.destroy();
    await sim.stop();
    await dynamo.stop();
  });

  it('runs dispatch -> check -> collect -> finalize over 300+ nodes; the counts add up and match the run item', async () => {
    const steps = stepsFor(envOf());
    const context = lambdaContext();
    const expected = targeted();
    expect(expected.length).toBeGreaterThanOrEqual(300);

    const dispatched = await steps.dispatch(
      { runId: 'run-e2e', startedAt: new Date().toISOString() },
      context,
    );
    expect(dispatched).toMatchObject({ runId: 'run-e2e', expected: expected.length, ready: false });
    expect(dispatched.commands).toHaveLength(1);
    const { state, passes } = await runToCollected(steps, overTheWire(dispatched), context);
    expect(passes).toBe(1);
    const summary = await steps.finalize(overTheWire(state), context);

    const byStatusTotal = VERDICT_STATUSES.reduce((sum, s) => sum + summary.byStatus[s], 0);
    expect(summary.targeted).toBe(expected.length);
    expect(byStatusTotal).toBe(summary.targeted);
    expect(summary.coverage).toEqual({ expected: expected.length, missing: 0, missingNodes: [] });
    // A chaos fleet: outputs over 2,500 characters fetched whole, nodes SSM could not reach.
    expect(summary.refetched).toBeGreaterThan(0);
    expect(summary.byStatus.UNREACHABLE).toBeGreaterThan(0);
    expect(summary.byStatus.AT_RISK).toBeGreaterThan(0);

    const run = await store.findLatestCompleteRun(new Date());
    expect(run).toMatchObject({
      runId: 'run-e2e',
      status: 'COMPLETE',
      targeted: summary.targeted,
      byStatus: summary.byStatus,
      bySeverity: summary.bySeverity,
      commandIds: summary.commandIds,
    });
    const node = expected[0]!;
    await expect(store.getNodeState(node.instanceId, new Date())).resolves.toMatchObject({
      node: node.instanceId,
      runId: 'run-e2e',
    });

    expect(steps.metrics.published).toHaveLength(1);
    expect(steps.metrics.published[0]).toMatchObject({
      [SCAN_METRICS.targeted]: summary.targeted,
      [SCAN_METRICS.byStatus.AT_RISK]: summary.byStatus.AT_RISK,
      [SCAN_METRICS.byStatus.UNREACHABLE]: summary.byStatus.UNREACHABLE,
      [SCAN_METRICS.hangs]: summary.hangs,
      [SCAN_METRICS.coverageMissing]: 0,
      [SCAN_METRICS.refetched]: summary.refetched,
    });
    expect(sim.simulator.sentCommands().at(-1)?.request).toMatchObject({
      documentName: 'FleetComplianceProbe',
      comment: 'fc run run-e2e 1/1',
      maxConcurrency: '25%',
      maxErrors: '25%',
      timeoutSeconds: 600,
    });
  });

  it('collects in several passes within a short Lambda budget, and stragglers past the deadline count once', async () => {
    const steps = stepsFor(envOf({ FLEET_SCAN_DEADLINE_SECONDS: '1' }));
    // 2 ms left: a 1 ms collect budget, so each pass reads one page (a pass always reads at least
    // one). A budget of 150 ms stopped forcing several passes once collect got faster.
    const context = lambdaContext(2);
    const dispatched = await steps.dispatch(
      { runId: 'run-short', startedAt: new Date().toISOString() },
      context,
    );
    const { state, passes } = await runToCollected(steps, dispatched, context);
    const summary = await steps.finalize(state, context);

    expect(passes).toBeGreaterThan(1);
    expect(summary.targeted).toBe(targeted().length);
    expect(VERDICT_STATUSES.reduce((sum, s) => sum + summary.byStatus[s], 0)).toBe(summary.targeted);
    expect(summary.coverage.missing).toBe(0);
    // Vanishing nodes are still InProgress a second after dispatch (their command expires after ~4 s).
    expect(summary.bySsmStatus.DeadlineExceeded).toBeGreaterThan(0);
  });

  it('refuses a second run while one holds the lock, with the error name the state machine catches', async () => {
    const steps = stepsFor(envOf());
    const context = lambdaContext();
    const startedAt = new Date().toISOString();
    const first = await steps.dispatch({ runId: 'run-holder', startedAt }, context);
    const sent = sim.simulator.sentCommands().length;

    const error = await steps.dispatch({ runId: 'run-late', startedAt }, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScanAlreadyRunningError);
    expect((error as Error).name).toBe(SCAN_ALREADY_RUNNING_ERROR);
    expect(error).toMatchObject({ holderRunId: 'run-holder' });

    // A retried dispatch of the holder is the same run: it finds its command instead of sending again.
    const retried = await steps.dispatch({ runId: 'run-holder', startedAt }, context);
    expect(retried.commands).toEqual(first.commands);
    expect(sim.simulator.sentCommands().length).toBe(sent);

    // Let the holder finish so the next tests can take the lock.
    const failed = await steps.fail(
      { state: retried, error: { Error: 'States.Timeout', Cause: 'test' } },
      context,
    );
    expect(failed).toEqual({ runId: 'run-holder', status: 'FAILED', error: 'States.Timeout: test' });
    const runs = await store.listRuns({ limit: 10, now: new Date() });
    expect(runs.find((r) => r.runId === 'run-holder')).toMatchObject({
      status: 'FAILED',
      commandIds: first.commands.map((c) => c.commandId),
      notes: ['failed: States.Timeout: test'],
    });
  });

  it('records a run that failed in dispatch, from the dispatch input alone, and releases its lock', async () => {
    const stranger = 'i-0123456789abcdef0';
    const steps = stepsFor(envOf({ FLEET_TARGETS: `ids:${stranger}` }));
    const context = lambdaContext();
    const input = { runId: 'run-broken', startedAt: new Date().toISOString() };

    const error = await steps.dispatch(input, context).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SsmRequestError', awsCode: 'InvalidInstanceId' });

    // What a Step Functions Catch hands the fail state for a Lambda error.
    const cause = JSON.stringify({
      errorType: 'SsmRequestError',
      errorMessage: (error as Error).message,
      trace: [],
    });
    const result = await steps.fail(
      { state: input, error: { Error: 'SsmRequestError', Cause: cause } },
      context,
    );
    expect(result.error).toBe(`SsmRequestError: ${(error as Error).message}`);
    const runs = await store.listRuns({ limit: 10, now: new Date() });
    expect(runs.find((r) => r.runId === 'run-broken')).toMatchObject({
      status: 'FAILED',
      targets: `ids:${stranger}`,
      commandIds: [],
      targeted: 0,
    });

    // The lock is free again: the next scheduled run starts.
    const next = stepsFor(envOf());
    const started = await next.dispatch({ runId: 'run-after', startedAt: new Date().toISOString() }, context);
    await next.fail({ state: started, error: { Error: 'Cleanup' } }, context);
  });

  it('rejects a miswired event with the field named', async () => {
    const steps = stepsFor(envOf());
    await expect(steps.dispatch({ runId: 'r' }, lambdaContext())).rejects.toMatchObject({
      name: 'InvalidScanEventError',
      field: 'startedAt',
    });
    await expect(steps.collect({ runId: 'r', startedAt: new Date().toISOString() })).rejects.toThrow(
      /scan-collect event: deadlineAt/,
    );
    await expect(steps.fail({ error: { Error: 'x' } })).rejects.toThrow(/scan-fail event: state/);
  });

  it('fails every invocation with the variable named when the environment is broken', async () => {
    const dispatch = createScanDispatchHandler({ env: { FLEET_TABLE_NAME: 'x' }, logger: silent });
    await expect(dispatch({ runId: 'r', startedAt: new Date().toISOString() })).rejects.toMatchObject({
      name: 'InvalidEnvironmentError',
      variable: 'FLEET_PROBE_DOCUMENT',
    });
  });
});
