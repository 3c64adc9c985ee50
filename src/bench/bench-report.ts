import { monthlyCost, type LambdaUse, type MonthlyCost } from '../core/bench/cost-model.ts';
import {
  collectPassesFor,
  extrapolate,
  type LatencyAssumption,
  type ModeledStep,
  modelStep,
  pollsFor,
  scanTransitions,
  type StepObservation,
} from '../core/bench/lambda-model.ts';
import { lowerBoundCallsPerNode, naiveFloorCalls } from '../core/bench/lower-bound.ts';
import { median } from '../core/bench/median.ts';
import { DEFAULT_SCAN_SETTINGS } from '../core/scan/scan-settings.ts';
import { type OperationCounts, totalOf } from './call-counter.ts';
import { COLLECT_SAFETY_MARGIN_MS, FUNCTION_SIZES } from '../shared/function-sizes.ts';
import { SCAN_STEPS as PIPELINE_STEPS } from '../shared/runtime-settings.ts';
import type { ThroughputResult } from './evaluation-throughput.ts';
import { type NaiveMeasurement, SCAN_STEPS, type ScanMeasurement, type ScanStep } from './measure-scan.ts';

/** Function sizes the stack deploys and the collect pass's safety margin (src/shared/function-sizes.ts). */
export const LAMBDA_SETTINGS = {
  dispatch: FUNCTION_SIZES.dispatch,
  check: FUNCTION_SIZES.check,
  collect: FUNCTION_SIZES.collect,
  finalize: FUNCTION_SIZES.finalize,
  report: FUNCTION_SIZES.report,
} as const;
export const COLLECT_MARGIN_SECONDS = COLLECT_SAFETY_MARGIN_MS / 1000;
type LambdaStep = keyof typeof LAMBDA_SETTINGS;
const LAMBDA_STEPS = Object.keys(LAMBDA_SETTINGS) as LambdaStep[];

/**
 * Calls the code overlaps: the store writes 4 BatchWriteItem at once (DynamoFleetStore
 * writeConcurrency), the report scans 4 segments at once and queries 8 at once (scanSegments,
 * readConcurrency). Everything else counts one after another.
 */
export const OVERLAPPED_CALLS: Readonly<Record<string, number>> = { BatchWriteItem: 4, Scan: 4, Query: 8 };

/** Real AWS: a scan's command stays open until its delivery timeout if one node is offline; Step Functions polls every 30 s. */
export const AWS_COMMAND_SECONDS = DEFAULT_SCAN_SETTINGS.deliveryTimeoutSeconds;
export const AWS_POLL_SECONDS = 30;
export const DAYS_PER_MONTH = 30;
/** The stack's reportRetentionDays default (lib/config/stack-config.ts). */
export const REPORT_RETENTION_DAYS = 365;
export const COST_NODES = 10_000;

export interface SizeSummary {
  readonly nodes: number;
  readonly runs: number;
  /** Logical calls of the scan (dispatch to finalize), every service, per node: the headline figure. */
  readonly callsPerNode: number;
  /** The same without the tagging API (SSM + DynamoDB only, as the issue counts). */
  readonly callsPerNodeSsmDynamo: number;
  readonly attemptsPerNode: number;
  /**
   * callsPerNode had the scan polled AWS_POLLS times (a real scan held open to the 600 s delivery
   * timeout by one offline node, polled every 30 s) instead of the local run's few polls.
   */
  readonly callsPerNodeAtAwsPolls: number;
  readonly lowerBoundCallsPerNode: number;
  readonly ratioToLowerBound: number;
  readonly naiveCallsPerNode: number | null;
  readonly naiveToOurs: number | null;
  readonly naiveWallMs: number | null;
  /** The naive run made exactly the calls its definition says (lower-bound.ts naiveFloorCalls). */
  readonly naiveAsDefined: boolean | null;
  readonly calls: OperationCounts;
  readonly attempts: OperationCounts;
  readonly attemptErrors: Readonly<Record<string, number>>;
  /** Middleware count equals the adapters' own counters, operation by operation. */
  readonly adapterCountsAgree: boolean;
  readonly writeUnitsPerNode: number;
  readonly readUnitsPerNode: number;
  readonly nodeItemBytes: { readonly mean: number; readonly max: number };
  readonly reportReadUnitsPerNode: number;
  readonly reportBytesPerNode: number;
  /** Medians over the runs: wall time, own CPU time and peak RSS of each step's process. */
  readonly stepMs: Readonly<Record<ScanStep, number>>;
  readonly stepCpuMs: Readonly<Record<ScanStep, number>>;
  readonly stepPeakRssMb: Readonly<Record<ScanStep, number>>;
  /** Starting the servers and the step processes (not part of any Lambda's time). */
  readonly setupMs: number;
  readonly serversPeakRssMb: number;
  readonly checkInvocations: number;
  readonly collectPasses: number;
  readonly scanWallMs: number;
  /** Highest peak RSS of the scan steps' processes (each one what a Lambda would hold). */
  readonly peakRssMb: number;
  /** The same with the report's process. */
  readonly processPeakRssMb: number;
  readonly byStatus: Readonly<Record<string, number>>;
}

export interface LambdaStepModel {
  readonly step: LambdaStep;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly invocations: number;
  readonly modeled: ModeledStep;
  /**
   * Highest process RSS sampled during the step locally (simulator and dynalite included); null
   * when the size was not measured (memory does not scale linearly from a smaller run).
   */
  readonly localPeakRssMb: number | null;
  /** Collect: each pass, once split into `collectPassesNeeded` passes. */
  readonly withinTimeout: boolean;
  readonly withinMemory: boolean | null;
}

export interface LambdaScaleModel {
  readonly nodes: number;
  readonly perCallMs: number;
  /** Measured at this size, or extrapolated from the measured sizes. */
  readonly basis: string;
  readonly steps: readonly LambdaStepModel[];
  readonly collectPassesNeeded: number;
}

export interface BenchReport {
  readonly generatedAt: string;
  readonly environment: {
    readonly node: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly loadBefore: readonly number[];
    readonly loadAfter: readonly number[];
  };
  readonly settings: { readonly seed: number; readonly faults: string; readonly runs: number };
  /** The size the top-level figures come from (10,000 when measured). */
  readonly headlineNodes: number;
  readonly callsPerNode: number;
  readonly lowerBoundCallsPerNode: number;
  readonly naiveCallsPerNode: number | null;
  readonly evaluateNodesPerSecond: number;
  readonly peakRssMb: number;
  readonly sizes: readonly SizeSummary[];
  readonly evaluation: readonly ThroughputResult[];
  readonly lambda: readonly LambdaScaleModel[];
  readonly cost: {
    readonly nodes: number;
    readonly perCallMs: number;
    readonly basis: string;
    readonly monthly: MonthlyCost;
    readonly input: unknown;
  };
  readonly targets: readonly { readonly target: string; readonly measured: string; readonly met: boolean }[];
}

function flatten(counts: OperationCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const byOperation of Object.values(counts)) {
    for (const [operation, n] of Object.entries(byOperation)) out[operation] = (out[operation] ?? 0) + n;
  }
  return out;
}

function countsAgree(run: ScanMeasurement): boolean {
  // The adapters count the whole scan; the middleware's `calls` leave out setup and report.
  const middleware = run.calls.calls;
  const adapters: Record<string, Readonly<Record<string, number>>> = {
    ssm: run.adapterCalls.ssm.calls,
    tagging: run.adapterCalls.tagging.calls,
    dynamodb: run.adapterCalls.dynamodb.calls,
  };
  return Object.keys(adapters).every((service) => {
    const a = adapters[service] ?? {};
    const m = middleware[service] ?? {};
    const names = new Set([...Object.keys(a), ...Object.keys(m)]);
    return [...names].every((name) => (a[name] ?? 0) === (m[name] ?? 0));
  });
}

function medianBy<T>(items: readonly T[], value: (item: T) => number): number {
  return median(items.map(value));
}

/** A run's calls had its check step polled `polls` times (each poll makes the same calls). */
export function callsAtPolls(run: ScanMeasurement, polls: number): number {
  const check = run.steps.check;
  const perPoll = totalOf(check.calls.calls) / Math.max(1, check.invocations);
  return totalOf(run.calls.calls) - totalOf(check.calls.calls) + perPoll * polls;
}

/** The run whose call count is the median stands for a size's counts (they barely vary run to run). */
export function typicalRun(runs: readonly ScanMeasurement[]): ScanMeasurement {
  const byCalls = [...runs].sort((a, b) => totalOf(a.calls.calls) - totalOf(b.calls.calls));
  const typical = byCalls[Math.floor((byCalls.length - 1) / 2)];
  if (typical === undefined) throw new RangeError('no runs');
  return typical;
}

/** One size's runs (and its naive run, if any) as medians and per-node figures. */
export function summarizeSize(
  runs: readonly ScanMeasurement[],
  naive: NaiveMeasurement | undefined,
): SizeSummary {
  const first = runs[0];
  if (first === undefined) throw new RangeError('summarizeSize needs at least one run');
  const nodes = first.nodes;
  const typical = typicalRun(runs);
  const calls = totalOf(typical.calls.calls);
  const lowerBound = lowerBoundCallsPerNode(nodes);
  const naiveCalls = naive ? totalOf(naive.calls.calls) / nodes : null;
  const stepMs = {} as Record<ScanStep, number>;
  const stepCpuMs = {} as Record<ScanStep, number>;
  const stepPeak = {} as Record<ScanStep, number>;
  for (const step of SCAN_STEPS) {
    stepMs[step] = medianBy(runs, (r) => r.steps[step].busyMs);
    stepCpuMs[step] = medianBy(runs, (r) => r.steps[step].cpuMs);
    stepPeak[step] = medianBy(runs, (r) => r.steps[step].peakRssMb);
  }
  const reportBytes = Object.values(typical.report.fileBytes).reduce((a, b) => a + b, 0);
  return {
    nodes,
    runs: runs.length,
    callsPerNode: calls / nodes,
    callsPerNodeSsmDynamo: totalOf(typical.calls.calls, ['ssm', 'dynamodb']) / nodes,
    attemptsPerNode: totalOf(typical.calls.attempts) / nodes,
    callsPerNodeAtAwsPolls: callsAtPolls(typical, pollsFor(AWS_COMMAND_SECONDS, AWS_POLL_SECONDS)) / nodes,
    lowerBoundCallsPerNode: lowerBound,
    ratioToLowerBound: calls / nodes / lowerBound,
    naiveCallsPerNode: naiveCalls,
    naiveToOurs: naiveCalls === null ? null : naiveCalls / (calls / nodes),
    naiveWallMs: naive ? naive.wallMs : null,
    naiveAsDefined: naive ? totalOf(naive.calls.calls) === naiveFloorCalls(naive.judged, naive.polls) : null,
    calls: typical.calls.calls,
    attempts: typical.calls.attempts,
    attemptErrors: typical.calls.attemptErrors,
    adapterCountsAgree: runs.every(countsAgree),
    writeUnitsPerNode: typical.writeUnits / nodes,
    readUnitsPerNode: typical.readUnits / nodes,
    nodeItemBytes: { mean: typical.nodeItems.meanBytes, max: typical.nodeItems.maxBytes },
    reportReadUnitsPerNode: typical.report.readUnits / nodes,
    reportBytesPerNode: reportBytes / nodes,
    stepMs,
    stepCpuMs,
    stepPeakRssMb: stepPeak,
    setupMs: medianBy(runs, (r) => r.setupMs),
    serversPeakRssMb: medianBy(runs, (r) => r.serversPeakRssMb),
    checkInvocations: typical.steps.check.invocations,
    collectPasses: typical.steps.collect.invocations,
    scanWallMs: medianBy(
      runs,
      (r) =>
        r.steps.dispatch.busyMs + r.steps.check.busyMs + r.steps.collect.busyMs + r.steps.finalize.busyMs,
    ),
    peakRssMb: medianBy(runs, (r) => r.scanPeakRssMb),
    processPeakRssMb: medianBy(runs, (r) => r.peakRssMb),
    byStatus: typical.summary.byStatus,
  };
}

/** A measured size with the calls of each Lambda step (flattened over services). */
export interface MeasuredSize {
  readonly size: SizeSummary;
  readonly stepCalls: Readonly<Record<LambdaStep, Record<string, number>>>;
}

/**
 * One invocation's observation of a step at `nodes`: measured, or extrapolated from the measured
 * sizes (fixed plus per-node cost, fitted through the two largest). Check is per poll (its work
 * does not grow with the fleet); the other steps are whole (collect as one unbounded pass).
 */
function observe(measured: readonly MeasuredSize[], nodes: number, step: LambdaStep): StepObservation {
  const per = (m: MeasuredSize): number => (step === 'check' ? Math.max(1, m.size.checkInvocations) : 1);
  const computeMs = extrapolate(
    measured.map((m) => ({ nodes: m.size.nodes, value: m.size.stepCpuMs[step] / per(m) })),
    nodes,
  );
  const operations = new Set(measured.flatMap((m) => Object.keys(m.stepCalls[step])));
  const calls: Record<string, number> = {};
  for (const operation of operations) {
    calls[operation] = extrapolate(
      measured.map((m) => ({ nodes: m.size.nodes, value: (m.stepCalls[step][operation] ?? 0) / per(m) })),
      nodes,
    );
  }
  return { computeMs, invocations: 1, calls };
}

/**
 * Each step as a Lambda at `nodes`: modeled duration of one invocation against its timeout (check:
 * one poll; collect: split into as many passes as the cursor hand-over needs), and the local peak
 * RSS during the step (the whole bench process: simulator and dynalite included) against its
 * memory, when this size was measured.
 */
export function modelLambdas(
  measured: readonly MeasuredSize[],
  nodes: number,
  perCallMs: number,
): LambdaScaleModel {
  const latency: LatencyAssumption = { perCallMs, parallel: OVERLAPPED_CALLS };
  const exact = measured.find((m) => m.size.nodes === nodes);
  const largest = [...measured]
    .sort((a, b) => b.size.nodes - a.size.nodes)
    .slice(0, 2)
    .map((m) => m.size.nodes);
  const steps = LAMBDA_STEPS.map((step): LambdaStepModel => {
    const setting = LAMBDA_SETTINGS[step];
    const modeled = modelStep(observe(measured, nodes, step), setting.memoryMb, latency);
    const localPeakRssMb = exact ? exact.size.stepPeakRssMb[step] : null;
    const budget =
      step === 'collect' ? setting.timeoutSeconds - COLLECT_MARGIN_SECONDS : setting.timeoutSeconds;
    const passes =
      step === 'collect'
        ? collectPassesFor(modeled.totalSeconds, setting.timeoutSeconds, COLLECT_MARGIN_SECONDS)
        : 1;
    return {
      step,
      memoryMb: setting.memoryMb,
      timeoutSeconds: setting.timeoutSeconds,
      invocations: passes,
      modeled,
      localPeakRssMb,
      withinTimeout: modeled.totalSeconds / passes <= budget,
      withinMemory: localPeakRssMb === null ? null : localPeakRssMb < setting.memoryMb,
    };
  });
  const collect = steps.find((s) => s.step === 'collect')!;
  return {
    nodes,
    perCallMs,
    basis: exact ? 'measured' : `extrapolated from ${largest.join(' and ')}`,
    steps,
    collectPassesNeeded: collect.invocations,
  };
}

/** Calls of each Lambda step of a run, flattened over services. */
export function stepCallsOf(run: ScanMeasurement): Record<LambdaStep, Record<string, number>> {
  return {
    dispatch: flatten(run.steps.dispatch.calls.calls),
    check: flatten(run.steps.check.calls.calls),
    collect: flatten(run.steps.collect.calls.calls),
    finalize: flatten(run.steps.finalize.calls.calls),
    // The report also uploads its three files to S3.
    report: { ...flatten(run.steps.report.calls.calls), PutObject: 3 },
  };
}

/**
 * USD per month for daily scans and daily reports of COST_NODES nodes, from the measured sizes
 * (extrapolated when COST_NODES was not measured). Check is billed per poll of a real scan: the
 * command stays open to the delivery timeout and Step Functions polls every 30 s.
 */
export function costOf(measured: readonly MeasuredSize[], perCallMs: number): BenchReport['cost'] {
  const model = modelLambdas(measured, COST_NODES, perCallMs);
  const polls = pollsFor(AWS_COMMAND_SECONDS, AWS_POLL_SECONDS);
  const use = (step: LambdaStep): LambdaUse => {
    const s = model.steps.find((m) => m.step === step)!;
    // Check is modeled per poll; a real scan polls until the command closes.
    const invocations = step === 'check' ? polls : s.invocations;
    const seconds = step === 'check' ? s.modeled.totalSeconds * polls : s.modeled.totalSeconds;
    return { name: step, memoryMb: s.memoryMb, invocations, seconds };
  };
  const perNode = (value: (size: SizeSummary) => number): number =>
    extrapolate(
      measured.map((m) => ({ nodes: m.size.nodes, value: value(m.size) * m.size.nodes })),
      COST_NODES,
    );
  const input = {
    nodes: COST_NODES,
    scansPerMonth: DAYS_PER_MONTH,
    scanLambdas: PIPELINE_STEPS.map(use),
    scanWriteUnits: perNode((s) => s.writeUnitsPerNode),
    scanReadUnits: perNode((s) => s.readUnitsPerNode),
    scanTransitions: scanTransitions(polls, model.collectPassesNeeded),
    reportsPerMonth: DAYS_PER_MONTH,
    reportLambda: use('report'),
    reportReadUnits: perNode((s) => s.reportReadUnitsPerNode),
    reportPuts: 3,
    reportBytes: perNode((s) => s.reportBytesPerNode),
    reportRetentionDays: REPORT_RETENTION_DAYS,
  };
  return { nodes: COST_NODES, perCallMs, basis: model.basis, monthly: monthlyCost(input), input };
}
