import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createDynamoClients, type DynamoClients } from '../adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../adapters/dynamodb/dynamo-fleet-store.ts';
import { DynamoScanScratch } from '../adapters/dynamodb/dynamo-scan-scratch.ts';
import type { StoreStatsSnapshot } from '../adapters/dynamodb/store-stats.ts';
import { createSsmClient } from '../adapters/ssm/create-ssm-client.ts';
import type { FleetCommandStatsSnapshot } from '../adapters/ssm/fleet-command-stats.ts';
import { SsmFleetCommands } from '../adapters/ssm/ssm-fleet-commands.ts';
import { createTaggingClient } from '../adapters/tagging/create-tagging-client.ts';
import { TagTargetDirectory } from '../adapters/tagging/tag-target-directory.ts';
import type { TargetDirectoryStatsSnapshot } from '../adapters/tagging/target-directory-stats.ts';
import type { Catalog } from '../core/advisory/catalog.ts';
import { DEFAULT_SCAN_SETTINGS, parseTargetSpec, type ScanSettings } from '../core/scan/scan-settings.ts';
import { checkScan } from '../pipeline/check-step.ts';
import { collectScan } from '../pipeline/collect-step.ts';
import { dispatchScan } from '../pipeline/dispatch-step.ts';
import { failScan, finalizeScan } from '../pipeline/finalize-step.ts';
import type { ProgressListener } from '../pipeline/ports.ts';
import { systemClock } from '../adapters/system-clock.ts';
import type { ScanDeps } from '../pipeline/scan-deps.ts';
import type { ScanState, ScanSummary } from '../pipeline/scan-state.ts';
import { startEmbeddedDynamo } from './embedded-dynamodb.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-environment.ts';
import type { VirtualFleet } from './fleet/virtual-fleet.ts';
import { buildLocalFleet, LOCAL_TIMEOUT_SCALE, type LocalFleetSpec, saveFleetSpec } from './local-fleet.ts';
import type { FaultPlan } from './ssm-simulator/fault-plan.ts';
import { type CallStats, startSsmSimulator } from './ssm-simulator/start-ssm-simulator.ts';


/** The local stand-in for the stack's probe document (the simulator records the name it is sent). */
export const LOCAL_DOCUMENT_NAME = 'FleetComplianceProbe-local';
/** Every simulated node carries the default target tag, as a deployment expects of real nodes. */
export const LOCAL_TARGETS = 'tag:fleet-compliance=enabled';

export interface LocalScanOptions extends LocalFleetSpec {
  /** Data directory of the embedded store; undefined keeps everything in memory. */
  readonly dataDir?: string;
  readonly catalog: Catalog;
  readonly onProgress?: ProgressListener;
  /** How long to wait between command checks (Step Functions waits 30 s; locally the fleet is quick). */
  readonly pollMs?: number;
  /** Per collect pass, to exercise the cursor hand-over as a Lambda would (default: unbounded). */
  readonly collectBudgetMs?: number;
  /** A prepared fleet (tests); by default the spec's fleet is generated from the recorded profiles. */
  readonly fleet?: VirtualFleet;
  /** Service-side faults of the simulator (default: the fleet's own: throttling bursts under chaos). */
  readonly faultPlan?: FaultPlan;
  /** Wraps the steps' dependencies (tests inject crashes or failing stores). */
  readonly wrapDeps?: (deps: ScanDeps) => ScanDeps;
}

/** API calls of one local scan, per service and operation, as the SDK clients made them. */
export interface LocalScanCalls {
  readonly ssm: FleetCommandStatsSnapshot;
  readonly tagging: TargetDirectoryStatsSnapshot;
  readonly dynamodb: StoreStatsSnapshot;
}

export interface LocalScanResult {
  readonly summary: ScanSummary;
  /** Calls the simulator answered, by operation (throttled ones included). */
  readonly simulatorCalls: CallStats;
  readonly calls: LocalScanCalls;
  readonly timingsMs: Readonly<Record<'start' | 'dispatch' | 'wait' | 'collect' | 'finalize', number>>;
  readonly collectPasses: number;
}

/** The SDK clients the adapters were given (a benchmark counts their calls with middleware). */
export interface LocalScanClients {
  readonly ssm: ReturnType<typeof createSsmClient>;
  readonly tagging: ReturnType<typeof createTaggingClient>;
  readonly dynamo: DynamoClients;
  readonly tableName: string;
}

export interface LocalScanEnvironment {
  readonly deps: ScanDeps;
  readonly fleet: VirtualFleet;
  readonly clients: LocalScanClients;
  /** Calls the simulator answered so far, by operation (throttled ones included). */
  simulatorCalls(): CallStats;
  /** SendCommand requests the simulator accepted, in order. */
  sentCommands(): readonly { readonly commandId: string; readonly request: unknown }[];
  calls(): LocalScanCalls;
  close(): Promise<void>;
}

/**
 * Starts the simulator on the fleet and the embedded store, and wires the real adapters to them:
 * the ScanDeps the Lambdas would build, pointed at local servers.
 */
export async function startLocalScanEnvironment(options: LocalScanOptions): Promise<LocalScanEnvironment> {
  const fleet = options.fleet ?? buildLocalFleet(options);
  const simulator = await startSsmSimulator({
    fleet,
    timeoutScale: LOCAL_TIMEOUT_SCALE,
    ...(options.faultPlan ? { faults: options.faultPlan } : {}),
  });
  const dynamo = await startEmbeddedDynamo(
    options.dataDir ? { path: join(resolve(options.dataDir), 'dynamodb') } : {},
  );
  const connected = connectScanDeps(
    { ssm: simulator.endpoint, dynamodb: dynamo.endpoint, tableName: dynamo.tableName },
    options.catalog,
  );
  const baseDeps: ScanDeps = {
    ...connected.deps,
    ...(options.collectBudgetMs === undefined ? {} : { collectBudgetMs: options.collectBudgetMs }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  return {
    deps: options.wrapDeps ? options.wrapDeps(baseDeps) : baseDeps,
    fleet,
    clients: connected.clients,
    simulatorCalls: () => simulator.stats(),
    sentCommands: () => simulator.sentCommands(),
    calls: connected.calls,
    close: async () => {
      connected.destroy();
      await Promise.all([simulator.stop(), dynamo.stop()]);
    },
  };
}

/** The settings of a local scan: the defaults, the local document and targets, a 2-minute deadline. */
export const LOCAL_SCAN_SETTINGS: ScanSettings = {
  ...DEFAULT_SCAN_SETTINGS,
  documentName: LOCAL_DOCUMENT_NAME,
  targets: parseTargetSpec(LOCAL_TARGETS),
  deadlineSeconds: 120,
};

/** Where the local servers listen. */
export interface LocalEndpoints {
  readonly ssm: string;
  readonly dynamodb: string;
  readonly tableName: string;
}

/**
 * The ScanDeps a scan Lambda builds (the same adapters and clients), pointed at local servers:
 * one wiring for the local scan and for the benchmark's step processes.
 */
export function connectScanDeps(
  endpoints: LocalEndpoints,
  catalog: Catalog,
): { deps: ScanDeps; clients: LocalScanClients; calls(): LocalScanCalls; destroy(): void } {
  const local = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = createDynamoClients({ ...local, endpoint: endpoints.dynamodb });
  const ssm = createSsmClient({ ...local, endpoint: endpoints.ssm });
  const tagging = createTaggingClient({ ...local, endpoint: endpoints.ssm });
  const store = new DynamoFleetStore({ doc: dynamo.doc, tableName: endpoints.tableName });
  const fleet = new SsmFleetCommands({ client: ssm });
  const directory = new TagTargetDirectory({ client: tagging });
  return {
    deps: {
      store,
      fleet,
      directory,
      scratch: new DynamoScanScratch({ doc: dynamo.doc, tableName: endpoints.tableName, stats: store.stats }),
      clock: systemClock,
      catalog,
      settings: LOCAL_SCAN_SETTINGS,
    },
    clients: { ssm, tagging, dynamo, tableName: endpoints.tableName },
    calls: () => ({
      ssm: fleet.stats.snapshot(),
      tagging: directory.stats.snapshot(),
      dynamodb: store.stats.snapshot(),
    }),
    destroy: () => {
      ssm.destroy();
      tagging.destroy();
      dynamo.destroy();
    },
  };
}

/**
 * Runs the scan's steps in the order the state machine does: dispatch, check until ready (a short
 * sleep stands in for the state machine's Wait), collect until every page is read, finalize. A
 * failure marks the run FAILED and releases the lock, as the state machine's catch does.
 */
export async function runScanSteps(
  deps: ScanDeps,
  input: { readonly runId: string; readonly startedAt: string },
  pollMs = 100,
): Promise<{ summary: ScanSummary; timingsMs: LocalScanResult['timingsMs']; collectPasses: number }> {
  const timings = { start: 0, dispatch: 0, wait: 0, collect: 0, finalize: 0 };
  let state: ScanState | undefined;
  try {
    let t = performance.now();
    state = await dispatchScan(deps, input);
    timings.dispatch = performance.now() - t;
    t = performance.now();
    state = await checkScan(deps, state);
    while (!state.ready) {
      await new Promise((r) => setTimeout(r, pollMs));
      state = await checkScan(deps, state);
    }
    timings.wait = performance.now() - t;
    t = performance.now();
    let passes = 0;
    do {
      state = await collectScan(deps, state);
      passes += 1;
    } while (!state.collected);
    timings.collect = performance.now() - t;
    t = performance.now();
    const summary = await finalizeScan(deps, state);
    timings.finalize = performance.now() - t;
    return { summary, timingsMs: timings, collectPasses: passes };
  } catch (error) {
    if (state) await failScan(deps, state, error instanceof Error ? error.message : String(error)).catch(() => {});
    throw error;
  }
}

/**
 * A full scan of a simulated fleet on the embedded default: the same dispatch, check, collect and
 * finalize steps the Lambdas run, with the real SDK clients talking to the local SSM simulator and
 * to dynalite.
 */
export async function runLocalScan(options: LocalScanOptions): Promise<LocalScanResult> {
  const t0 = performance.now();
  const env = await startLocalScanEnvironment(options);
  const start = performance.now() - t0;
  try {
    if (options.dataDir) saveFleetSpec(options.dataDir, { nodes: options.nodes, seed: options.seed, faults: options.faults });
    const run = await runScanSteps(
      env.deps,
      { runId: `local-${randomUUID()}`, startedAt: new Date().toISOString() },
      options.pollMs,
    );
    return {
      summary: run.summary,
      simulatorCalls: env.simulatorCalls(),
      calls: env.calls(),
      timingsMs: { ...run.timingsMs, start },
      collectPasses: run.collectPasses,
    };
  } finally {
    await env.close();
  }
}
