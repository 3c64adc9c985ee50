import { LAMBDA_MB_PER_VCPU } from './aws-prices.ts';

/** What the bench saw of one scan step locally. */
export interface StepObservation {
  /** The step's own CPU time locally, over all of its invocations (its process ran nothing else). */
  readonly computeMs: number;
  readonly invocations: number;
  /** Logical AWS calls the step made, by operation. */
  readonly calls: Readonly<Record<string, number>>;
}

/** How long an AWS call takes for real, and which calls the code overlaps. */
export interface LatencyAssumption {
  readonly perCallMs: number;
  /** Calls of an operation in flight at once (1 unless named). */
  readonly parallel: Readonly<Record<string, number>>;
}

export interface ModeledStep {
  /** Local CPU time scaled to the function's CPU share. */
  readonly computeSeconds: number;
  /** Calls one after another, each taking the assumed latency. */
  readonly sequentialCalls: number;
  readonly waitSeconds: number;
  readonly totalSeconds: number;
  readonly perInvocationSeconds: number;
}

/**
 * A step's duration on Lambda: its own CPU time measured locally, scaled by the function's CPU
 * share (memory/1,769 MB of a vCPU, capped at one; this assumes a local core about as fast as a
 * Lambda one), plus its calls at the assumed latency, overlapped only where the code overlaps them.
 */
export function modelStep(step: StepObservation, memoryMb: number, latency: LatencyAssumption): ModeledStep {
  const cpuFactor = Math.max(1, LAMBDA_MB_PER_VCPU / memoryMb);
  const computeSeconds = (step.computeMs / 1000) * cpuFactor;
  let sequentialCalls = 0;
  for (const [operation, n] of Object.entries(step.calls))
    sequentialCalls += n / Math.max(1, latency.parallel[operation] ?? 1);
  const waitSeconds = (sequentialCalls * latency.perCallMs) / 1000;
  const totalSeconds = computeSeconds + waitSeconds;
  return {
    computeSeconds,
    sequentialCalls,
    waitSeconds,
    totalSeconds,
    perInvocationSeconds: totalSeconds / Math.max(1, step.invocations),
  };
}

/**
 * Collect passes a scan needs when each pass reads pages until its budget is spent (the Lambda's
 * timeout less the collect safety margin) and hands a cursor to the next.
 */
export function collectPassesFor(
  totalSeconds: number,
  timeoutSeconds: number,
  marginSeconds: number,
): number {
  const budget = Math.max(1, timeoutSeconds - marginSeconds);
  return Math.max(1, Math.ceil(totalSeconds / budget));
}

/**
 * State transitions of one scan execution (lib/constructs/scan-state-machine.ts): StartRun and
 * Dispatch, then WaitForNodes, Check and Ready? per poll, Collect and Collected? per pass, then
 * Finalize and ScanComplete.
 */
export function scanTransitions(polls: number, collectPasses: number): number {
  return 2 + 3 * Math.max(1, polls) + 2 * Math.max(1, collectPasses) + 2;
}

/** Polls of a scan whose command ends at the delivery timeout (one offline node holds it open). */
export function pollsFor(commandSeconds: number, pollIntervalSeconds: number): number {
  return Math.max(1, Math.ceil(commandSeconds / pollIntervalSeconds) + 1);
}

/** A measured value at a fleet size. */
export interface SizePoint {
  readonly nodes: number;
  readonly value: number;
}

/**
 * A value at `nodes` from measured sizes: the measurement itself when there is one; otherwise the
 * straight line through the two largest sizes (fixed cost plus a per-node cost), or proportional
 * to nodes from a single size. Never below zero.
 */
export function extrapolate(points: readonly SizePoint[], nodes: number): number {
  const exact = points.find((p) => p.nodes === nodes);
  if (exact) return exact.value;
  const sorted = [...points].sort((a, b) => a.nodes - b.nodes);
  const b = sorted[sorted.length - 1];
  if (b === undefined) return 0;
  const a = sorted[sorted.length - 2];
  if (a === undefined) return Math.max(0, (b.value / b.nodes) * nodes);
  const slope = (b.value - a.value) / (b.nodes - a.nodes);
  return Math.max(0, b.value + slope * (nodes - b.nodes));
}
