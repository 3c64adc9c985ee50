import { randomUUID } from 'node:crypto';
import type { Catalog } from '../core/advisory/catalog.ts';
import { buildReport } from '../core/report/build-report.ts';
import { readReportSources } from '../core/report/read-report-sources.ts';
import { renderReportFiles } from '../core/report/render-report-files.ts';
import type { FleetStore } from '../core/store/fleet-store.ts';
import { toNodeItem } from '../core/store/node-item.ts';
import type { FleetFaultMode } from '../local/fleet/virtual-fleet.ts';
import { type LocalScanCalls, startLocalScanEnvironment } from '../local/local-scan.ts';
import { checkScan } from '../pipeline/check-step.ts';
import { collectScan } from '../pipeline/collect-step.ts';
import { dispatchScan } from '../pipeline/dispatch-step.ts';
import { SCAN_STEPS as PIPELINE_STEPS } from '../shared/runtime-settings.ts';
import { failScan, finalizeScan } from '../pipeline/finalize-step.ts';
import type { ScanState, ScanSummary } from '../pipeline/scan-state.ts';
import { type BenchEndpoints, createRemoteScanDeps } from './bench-servers.ts';
import { CallCounter, mergePhaseCounts, type PhaseCounts } from './call-counter.ts';
import { runNaiveScan } from './naive-scan.ts';

/** The state machine's Lambda steps, and the daily report built after a scan. */
/** The scan's Lambda steps (src/shared/runtime-settings.ts) and the daily report. */
export const SCAN_STEPS = [...PIPELINE_STEPS, 'report'] as const;
export type ScanStep = (typeof SCAN_STEPS)[number];

export interface StepStats {
  /** Wall time of the step in its process, waits between checks left out. */
  readonly busyMs: number;
  /** CPU time of the step's process during the step: the step's own work (the servers run elsewhere). */
  readonly cpuMs: number;
  /** Peak resident set of the step's process (kernel maxrss): the Lambda's "max memory used", roughly. */
  readonly peakRssMb: number;
  /** Resident set once the process had loaded its code and built its clients, before the step ran. */
  readonly startRssMb: number;
  /** Lambda invocations the step stands for: checks (polls) and collect passes; 1 otherwise. */
  readonly invocations: number;
  readonly calls: PhaseCounts;
}

export interface StepTask {
  readonly kind: 'step';
  readonly step: ScanStep;
  readonly endpoints: BenchEndpoints;
  readonly runId: string;
  readonly startedAt: string;
  readonly state?: ScanState;
  readonly pollMs: number;
}

export interface StepResult {
  readonly kind: 'step';
  readonly step: ScanStep;
  readonly state?: ScanState;
  readonly summary?: ScanSummary;
  readonly stats: StepStats;
  /** What the adapters counted themselves in this process (cross-check of the middleware). */
  readonly adapterCalls: LocalScanCalls;
  /** Node items the step wrote, as the store sized them. */
  readonly nodeItems: { readonly count: number; readonly totalBytes: number; readonly maxBytes: number };
  readonly reportFileBytes?: Readonly<Record<string, number>>;
}

/** Measures node item sizes on their way to the store, without touching the store itself. */
function sizingStore(
  store: FleetStore,
  sizes: { count: number; totalBytes: number; maxBytes: number },
): FleetStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'putNodeStates') {
        return (states: Parameters<FleetStore['putNodeStates']>[0]) => {
          for (const state of states) {
            const bytes = toNodeItem(state).sizeBytes;
            sizes.count += 1;
            sizes.totalBytes += bytes;
            sizes.maxBytes = Math.max(sizes.maxBytes, bytes);
          }
          return target.putNodeStates(states);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Runs one step the way its Lambda would, in this process: builds the clients and adapters, then
 * runs the step (check: every poll until ready; collect: every pass until done), with each AWS
 * call counted by SDK middleware.
 */
export async function runStep(task: StepTask, catalog: Catalog): Promise<StepResult> {
  const remote = createRemoteScanDeps(task.endpoints, catalog);
  const counter = new CallCounter();
  counter.attach('ssm', remote.clients.ssm);
  counter.attach('tagging', remote.clients.tagging);
  counter.attach('dynamodb', remote.clients.dynamodb);
  counter.setPhase(task.step);
  const nodeItems = { count: 0, totalBytes: 0, maxBytes: 0 };
  const deps = { ...remote.deps, store: sizingStore(remote.deps.store, nodeItems) };
  const startRssMb = process.memoryUsage.rss() / 1024 / 1024;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let idleMs = 0;
  let invocations = 1;
  let state: ScanState | undefined;
  let summary: ScanSummary | undefined;
  let reportFileBytes: Record<string, number> | undefined;
  try {
    switch (task.step) {
      case 'dispatch':
        state = await dispatchScan(deps, { runId: task.runId, startedAt: task.startedAt });
        break;
      case 'check': {
        let s = required(task.state);
        invocations = 0;
        for (;;) {
          invocations += 1;
          s = await checkScan(deps, s);
          if (s.ready) break;
          const t = performance.now();
          await new Promise((resolve) => setTimeout(resolve, task.pollMs));
          idleMs += performance.now() - t;
        }
        state = s;
        break;
      }
      case 'collect': {
        let s = required(task.state);
        invocations = 0;
        do {
          invocations += 1;
          s = await collectScan(deps, s);
        } while (!s.collected);
        state = s;
        break;
      }
      case 'finalize':
        summary = await finalizeScan(deps, required(task.state));
        break;
      case 'report': {
        const now = new Date();
        const sources = await readReportSources(deps.store, now);
        const report = buildReport({ ...sources, now, advisories: catalog.advisories });
        reportFileBytes = Object.fromEntries(
          renderReportFiles(report).map((f) => [f.name, Buffer.byteLength(f.body, 'utf8')]),
        );
        break;
      }
    }
  } catch (error) {
    if (task.state && task.step !== 'report') {
      await failScan(deps, task.state, error instanceof Error ? error.message : String(error)).catch(
        () => {},
      );
    }
    throw error;
  } finally {
    remote.close();
  }
  const cpu = process.cpuUsage(c0);
  return {
    kind: 'step',
    step: task.step,
    ...(state === undefined ? {} : { state }),
    ...(summary === undefined ? {} : { summary }),
    stats: {
      busyMs: performance.now() - t0 - idleMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      startRssMb,
      invocations,
      calls: counter.counts(task.step),
    },
    adapterCalls: remote.calls(),
    nodeItems,
    ...(reportFileBytes === undefined ? {} : { reportFileBytes }),
  };
}

function required(state: ScanState | undefined): ScanState {
  if (state === undefined) throw new TypeError('this step needs the state the previous step returned');
  return state;
}

export interface ScanMeasurement {
  readonly kind: 'scan';
  readonly nodes: number;
  readonly faults: FleetFaultMode;
  readonly summary: Pick<ScanSummary, 'status' | 'targeted' | 'byStatus' | 'refetched'> & {
    readonly missing: number;
  };
  /** Every scan step summed (the report left out); `steps` has them one by one. */
  readonly calls: PhaseCounts;
  /** What the adapters counted themselves, scan steps summed (cross-check of the middleware). */
  readonly adapterCalls: LocalScanCalls;
  readonly steps: Readonly<Record<ScanStep, StepStats>>;
  /** Capacity DynamoDB reported for the scan steps. */
  readonly writeUnits: number;
  readonly readUnits: number;
  /** Node items as the store sized them (toNodeItem: DynamoDB's item-size rules, erring large). */
  readonly nodeItems: { readonly count: number; readonly meanBytes: number; readonly maxBytes: number };
  /** The daily report built from this scan's store: what it read and what it would upload. */
  readonly report: { readonly readUnits: number; readonly fileBytes: Readonly<Record<string, number>> };
  /** Highest peak RSS of the scan steps' processes (each one a Lambda). */
  readonly scanPeakRssMb: number;
  /** The same with the report's process. */
  readonly peakRssMb: number;
  /** Peak RSS of the servers' process (simulator and dynalite), for context. */
  readonly serversPeakRssMb: number;
  /** Starting the servers, then every step's process from spawn to exit. */
  readonly setupMs: number;
  readonly wallMs: number;
}

export interface ScanMeasureOptions {
  readonly nodes: number;
  readonly seed: number;
  readonly faults: FleetFaultMode;
  readonly pollMs: number;
}

/** Runs a step in a process of its own. */
export type StepRunner = (task: StepTask) => Promise<StepResult>;
/** Starts the servers in a process of their own; `stop` returns that process's peak RSS. */
export type ServersStarter = (spec: ScanMeasureOptions) => Promise<{
  readonly endpoints: BenchEndpoints;
  stop(): Promise<{ readonly peakRssMb: number }>;
}>;

function emptyCalls(): LocalScanCalls {
  return {
    ssm: { calls: {}, failures: {}, retries: 0, retryDelayMs: 0 },
    tagging: { calls: {}, failures: {}, retries: 0, resources: 0, skippedArns: 0 },
    dynamodb: {
      calls: {},
      writeUnits: 0,
      readUnits: 0,
      unprocessedRetries: 0,
      oversizedItems: 0,
      invalidItems: 0,
    },
  };
}

function addCalls(
  into: Record<string, number>,
  from: Readonly<Record<string, number>>,
): Record<string, number> {
  const out = { ...into };
  for (const [operation, n] of Object.entries(from)) out[operation] = (out[operation] ?? 0) + n;
  return out;
}

function sumAdapterCalls(a: LocalScanCalls, b: LocalScanCalls): LocalScanCalls {
  return {
    ssm: {
      calls: addCalls(a.ssm.calls, b.ssm.calls),
      failures: addCalls(a.ssm.failures, b.ssm.failures),
      retries: a.ssm.retries + b.ssm.retries,
      retryDelayMs: a.ssm.retryDelayMs + b.ssm.retryDelayMs,
    },
    tagging: {
      calls: addCalls(a.tagging.calls, b.tagging.calls),
      failures: addCalls(a.tagging.failures, b.tagging.failures),
      retries: a.tagging.retries + b.tagging.retries,
      resources: a.tagging.resources + b.tagging.resources,
      skippedArns: a.tagging.skippedArns + b.tagging.skippedArns,
    },
    dynamodb: {
      calls: addCalls(a.dynamodb.calls, b.dynamodb.calls),
      writeUnits: a.dynamodb.writeUnits + b.dynamodb.writeUnits,
      readUnits: a.dynamodb.readUnits + b.dynamodb.readUnits,
      unprocessedRetries: a.dynamodb.unprocessedRetries + b.dynamodb.unprocessedRetries,
      oversizedItems: a.dynamodb.oversizedItems + b.dynamodb.oversizedItems,
      invalidItems: a.dynamodb.invalidItems + b.dynamodb.invalidItems,
    },
  };
}

/**
 * One full local scan, each step in a process of its own as its Lambda would run (the ScanState
 * handed from one to the next as Step Functions hands it), against the simulator and dynalite in
 * another process; then the daily report built from the result.
 */
export async function measureScan(
  options: ScanMeasureOptions,
  runStepInChild: StepRunner,
  startServers: ServersStarter,
): Promise<ScanMeasurement> {
  const t0 = performance.now();
  const servers = await startServers(options);
  const base = {
    endpoints: servers.endpoints,
    runId: `bench-${randomUUID()}`,
    startedAt: new Date().toISOString(),
    pollMs: options.pollMs,
  };
  const results = new Map<ScanStep, StepResult>();
  let serversPeakRssMb = 0;
  try {
    let state: ScanState | undefined;
    for (const step of SCAN_STEPS) {
      const result = await runStepInChild({
        kind: 'step',
        step,
        ...base,
        ...(state === undefined ? {} : { state }),
      });
      results.set(step, result);
      if (result.state !== undefined) state = result.state;
    }
  } finally {
    serversPeakRssMb = (await servers.stop()).peakRssMb;
  }
  const get = (step: ScanStep): StepResult => results.get(step)!;
  const summary = get('finalize').summary!;
  let calls: PhaseCounts = { calls: {}, attempts: {}, failures: {}, attemptErrors: {} };
  let adapterCalls = emptyCalls();
  let items = { count: 0, totalBytes: 0, maxBytes: 0 };
  for (const step of PIPELINE_STEPS) {
    const r = get(step);
    calls = mergePhaseCounts(calls, r.stats.calls);
    adapterCalls = sumAdapterCalls(adapterCalls, r.adapterCalls);
    items = {
      count: items.count + r.nodeItems.count,
      totalBytes: items.totalBytes + r.nodeItems.totalBytes,
      maxBytes: Math.max(items.maxBytes, r.nodeItems.maxBytes),
    };
  }
  const steps = Object.fromEntries(SCAN_STEPS.map((s) => [s, get(s).stats])) as Record<ScanStep, StepStats>;
  const scanPeakRssMb = Math.max(...PIPELINE_STEPS.map((s) => steps[s].peakRssMb));
  const wallMs = performance.now() - t0;
  return {
    kind: 'scan',
    nodes: options.nodes,
    faults: options.faults,
    summary: {
      status: summary.status,
      targeted: summary.targeted,
      byStatus: summary.byStatus,
      refetched: summary.refetched,
      missing: summary.coverage.missing,
    },
    calls,
    adapterCalls,
    steps,
    writeUnits: adapterCalls.dynamodb.writeUnits,
    readUnits: adapterCalls.dynamodb.readUnits,
    nodeItems: {
      count: items.count,
      meanBytes: items.count ? items.totalBytes / items.count : 0,
      maxBytes: items.maxBytes,
    },
    report: {
      readUnits: get('report').adapterCalls.dynamodb.readUnits,
      fileBytes: get('report').reportFileBytes ?? {},
    },
    scanPeakRssMb,
    peakRssMb: Math.max(scanPeakRssMb, steps.report.peakRssMb),
    serversPeakRssMb,
    setupMs: wallMs - SCAN_STEPS.reduce((sum, s) => sum + steps[s].busyMs, 0),
    wallMs,
  };
}

export interface NaiveMeasurement {
  readonly kind: 'naive';
  readonly nodes: number;
  readonly faults: FleetFaultMode;
  readonly judged: number;
  readonly polls: number;
  readonly calls: PhaseCounts;
  readonly writeUnits: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
}

/**
 * The naive strategy (naive-scan.ts) on a fresh simulator and dynalite in this process, calls
 * counted the same way. Only its calls and wall time are compared, so one process does.
 */
export async function measureNaive(
  options: ScanMeasureOptions & { readonly catalog: Catalog; readonly concurrency: number },
): Promise<NaiveMeasurement> {
  const env = await startLocalScanEnvironment({
    nodes: options.nodes,
    seed: options.seed,
    faults: options.faults,
    catalog: options.catalog,
  });
  try {
    const counter = new CallCounter();
    counter.attach('ssm', env.clients.ssm);
    counter.attach('tagging', env.clients.tagging);
    counter.attach('dynamodb', env.clients.dynamo.client);
    counter.setPhase('naive');
    const t0 = performance.now();
    const result = await runNaiveScan({
      env,
      catalog: options.catalog,
      runId: `naive-${randomUUID()}`,
      pollMs: options.pollMs,
      concurrency: options.concurrency,
    });
    return {
      kind: 'naive',
      nodes: options.nodes,
      faults: options.faults,
      judged: result.nodes,
      polls: result.polls,
      calls: counter.counts('naive'),
      writeUnits: result.writeUnits,
      wallMs: performance.now() - t0,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await env.close();
  }
}
