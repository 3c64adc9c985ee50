import type { VirtualNode } from '../fleet/virtual-fleet.ts';
import { FINAL_DETAILS, type FinalDetail, type InvocationDetail } from './invocation-status.ts';
import type { TargetSpec } from './target-resolution.ts';

/** What SendCommand asked for, normalised (the simulator records it for tests to assert on). */
export interface CommandRequest {
  readonly documentName: string;
  readonly documentVersion: string | undefined;
  readonly comment: string | undefined;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly instanceIds: readonly string[];
  readonly targets: readonly TargetSpec[];
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  readonly timeoutSeconds: number;
  /** From Parameters.executionTimeout, else the 3,600 s default of aws:runShellScript. */
  readonly executionTimeoutSeconds: number;
  readonly outputS3BucketName: string | undefined;
  readonly outputS3KeyPrefix: string | undefined;
}

export interface CommandSummary {
  readonly status: string;
  readonly statusDetails: string;
  readonly targetCount: number;
  readonly completedCount: number;
  readonly errorCount: number;
  readonly deliveryTimedOutCount: number;
}

const FINAL_INDEX = new Map<FinalDetail, number>(FINAL_DETAILS.map((d, i) => [d, i]));
const final = (detail: FinalDetail): number => FINAL_INDEX.get(detail) as number;
const SUCCESS = final('Success');
const FAILED = final('Failed');
const EXECUTION_TIMED_OUT = final('ExecutionTimedOut');
const DELIVERY_TIMED_OUT = final('DeliveryTimedOut');
const UNDELIVERABLE = final('Undeliverable');
const TERMINATED = final('Terminated');

/**
 * One SendCommand and its invocations. The whole timeline is planned when the command is sent
 * (a slot queue for MaxConcurrency, then the MaxErrors cut-off); reads only compare the clock
 * with three timestamps per invocation, so 100,000 invocations need no timers and little memory.
 *
 * Per invocation: Pending until `start`, InProgress until `mid`, Delayed until `terminal` (offline
 * nodes only), then its final detail.
 *
 * Simplifications, kept deliberately: no ramp-up (AWS starts with one node, then doubles); a
 * concurrency slot is held for the node's response delay whatever the outcome, except an
 * execution time-out which holds it for the whole execution timeout, as on AWS.
 */
export class CommandRun {
  readonly commandId: string;
  readonly request: CommandRequest;
  readonly requestedAt: number;
  readonly nodes: readonly VirtualNode[];
  /** Invocations not started by then end DeliveryTimedOut (TimeoutSeconds). */
  readonly deliveryDeadline: number;
  /** Command.ExpiresAfter: TimeoutSeconds + executionTimeout after the request. */
  readonly expiresAt: number;
  readonly maxErrorsAllowed: number;
  private readonly start: Float64Array;
  private readonly mid: Float64Array;
  private readonly terminal: Float64Array;
  private readonly finals: Uint8Array;
  private indexById: Map<string, number> | undefined;

  constructor(init: {
    commandId: string;
    request: CommandRequest;
    requestedAt: number;
    nodes: readonly VirtualNode[];
    /** Multiplies every AWS timeout (TimeoutSeconds, executionTimeout); 1 is faithful. */
    timeoutScale: number;
  }) {
    const { request, requestedAt, nodes, timeoutScale } = init;
    this.commandId = init.commandId;
    this.request = request;
    this.requestedAt = requestedAt;
    this.nodes = nodes;
    const n = nodes.length;
    const executionMs = request.executionTimeoutSeconds * 1000 * timeoutScale;
    this.deliveryDeadline = requestedAt + request.timeoutSeconds * 1000 * timeoutScale;
    this.expiresAt = this.deliveryDeadline + executionMs;
    this.maxErrorsAllowed = resolveLimit(request.maxErrors, n, 'floor');
    this.start = new Float64Array(n);
    this.mid = new Float64Array(n);
    this.terminal = new Float64Array(n);
    this.finals = new Uint8Array(n);
    this.plan(resolveLimit(request.maxConcurrency, n, 'ceil'), executionMs);
    this.applyMaxErrors();
  }

  get targetCount(): number {
    return this.nodes.length;
  }

  indexOf(instanceId: string): number | undefined {
    if (this.indexById === undefined) {
      const index = new Map<string, number>();
      for (let i = 0; i < this.nodes.length; i += 1) index.set((this.nodes[i] as VirtualNode).instanceId, i);
      this.indexById = index;
    }
    return this.indexById.get(instanceId);
  }

  detailAt(i: number, now: number): InvocationDetail {
    if (now < (this.start[i] as number)) return 'Pending';
    if (now < (this.mid[i] as number)) return 'InProgress';
    if (now < (this.terminal[i] as number)) return 'Delayed';
    return FINAL_DETAILS[this.finals[i] as number] as FinalDetail;
  }

  /** When the invocation started running, if it did (for ResponseStartDateTime). */
  startedAt(i: number): number {
    return this.start[i] as number;
  }

  /** When the invocation reached its terminal state. */
  finishedAt(i: number): number {
    return this.terminal[i] as number;
  }

  summaryAt(now: number): CommandSummary {
    const n = this.nodes.length;
    let completed = 0;
    let started = 0;
    let failed = 0;
    let executionTimedOut = 0;
    let deliveryTimedOut = 0;
    let notClean = 0;
    for (let i = 0; i < n; i += 1) {
      if (now >= (this.start[i] as number)) started += 1;
      if (now < (this.terminal[i] as number)) continue;
      completed += 1;
      const f = this.finals[i] as number;
      if (f === FAILED) failed += 1;
      else if (f === EXECUTION_TIMED_OUT) executionTimedOut += 1;
      else if (f === DELIVERY_TIMED_OUT) deliveryTimedOut += 1;
      // Undeliverable does not make a command Incomplete (monitor-commands page).
      if (f !== SUCCESS && f !== UNDELIVERABLE) notClean += 1;
    }
    const counts = {
      targetCount: n,
      completedCount: completed,
      errorCount: failed + executionTimedOut,
      deliveryTimedOutCount: deliveryTimedOut,
    };
    if (n === 0) return { status: 'Success', statusDetails: 'NoInstancesInTag', ...counts };
    if (completed < n) {
      return started === 0
        ? { status: 'Pending', statusDetails: 'Pending', ...counts }
        : { status: 'InProgress', statusDetails: 'InProgress', ...counts };
    }
    if (failed + executionTimedOut > this.maxErrorsAllowed) {
      return executionTimedOut > failed
        ? { status: 'TimedOut', statusDetails: 'ExecutionTimedOut', ...counts }
        : { status: 'Failed', statusDetails: 'Failed', ...counts };
    }
    if (deliveryTimedOut > this.maxErrorsAllowed && deliveryTimedOut === notClean) {
      return { status: 'TimedOut', statusDetails: 'DeliveryTimedOut', ...counts };
    }
    // "Not enough invocations failed for the status to be Failed": Status stays Success.
    if (notClean > 0) return { status: 'Success', statusDetails: 'Incomplete', ...counts };
    return { status: 'Success', statusDetails: 'Success', ...counts };
  }

  private plan(concurrency: number, executionMs: number): void {
    const n = this.nodes.length;
    const slots = new SlotQueue(Math.min(concurrency, n));
    for (let i = 0; i < n; i += 1) {
      const node = this.nodes[i] as VirtualNode;
      const s = Math.max(this.requestedAt, slots.nextFree(this.requestedAt));
      if (s > this.deliveryDeadline) {
        this.set(i, this.deliveryDeadline, this.deliveryDeadline, this.deliveryDeadline, DELIVERY_TIMED_OUT);
        continue;
      }
      const d = node.responseDelayMs;
      let hold = d;
      switch (node.fault) {
        case 'execution-timeout':
          hold = executionMs;
          this.set(i, s, s + executionMs, s + executionMs, EXECUTION_TIMED_OUT);
          break;
        case 'offline':
          // Sent, node unavailable: Delayed (the service retries) until the delivery timeout.
          this.set(i, s, s, Math.max(s + d, this.deliveryDeadline), DELIVERY_TIMED_OUT);
          break;
        case 'vanish':
          this.set(i, s, this.expiresAt, this.expiresAt, DELIVERY_TIMED_OUT);
          break;
        case 'undeliverable':
        case 'invalid-platform':
        case 'access-denied': {
          const outcome =
            node.fault === 'undeliverable'
              ? UNDELIVERABLE
              : final(node.fault === 'access-denied' ? 'AccessDenied' : 'InvalidPlatform');
          this.set(i, s + d, s + d, s + d, outcome);
          break;
        }
        default:
          if (d > executionMs) {
            hold = executionMs;
            this.set(i, s, s + executionMs, s + executionMs, EXECUTION_TIMED_OUT);
          } else {
            this.set(i, s, s + d, s + d, node.fault === 'failed' ? FAILED : SUCCESS);
          }
      }
      if ((this.terminal[i] as number) > this.expiresAt) {
        this.set(
          i,
          Math.min(s, this.expiresAt),
          Math.min(this.mid[i] as number, this.expiresAt),
          this.expiresAt,
          DELIVERY_TIMED_OUT,
        );
      }
      slots.occupy(s + hold);
    }
  }

  /**
   * MaxErrors: once more than the allowed number of Failed / ExecutionTimedOut invocations have
   * finished, invocations not yet started become Terminated; running ones finish normally.
   */
  private applyMaxErrors(): void {
    const errorTimes: number[] = [];
    for (let i = 0; i < this.nodes.length; i += 1) {
      const f = this.finals[i] as number;
      if (f === FAILED || f === EXECUTION_TIMED_OUT) errorTimes.push(this.terminal[i] as number);
    }
    if (errorTimes.length <= this.maxErrorsAllowed) return;
    errorTimes.sort((a, b) => a - b);
    const cutOff = errorTimes[this.maxErrorsAllowed] as number;
    for (let i = 0; i < this.nodes.length; i += 1) {
      // Still Pending at the cut-off (a never-delivered invocation at exactly the cut-off is left alone).
      if (
        (this.start[i] as number) > cutOff ||
        ((this.start[i] as number) === cutOff && (this.terminal[i] as number) > cutOff)
      ) {
        this.set(i, cutOff, cutOff, cutOff, TERMINATED);
      }
    }
  }

  private set(i: number, start: number, mid: number, terminal: number, outcome: number): void {
    this.start[i] = start;
    this.mid[i] = mid;
    this.terminal[i] = terminal;
    this.finals[i] = outcome;
  }
}

/**
 * `MaxConcurrency` / `MaxErrors`: a count, or a percentage of the targets. A percentage of
 * concurrency rounds up (never 0 slots); a percentage of errors rounds down.
 */
export function resolveLimit(value: string, targetCount: number, rounding: 'ceil' | 'floor'): number {
  if (value.endsWith('%')) {
    const share = (Number(value.slice(0, -1)) * targetCount) / 100;
    return rounding === 'ceil' ? Math.max(1, Math.ceil(share)) : Math.floor(share);
  }
  return Number(value);
}

/** Earliest-free-slot queue (a binary min-heap of the times slots free up). */
class SlotQueue {
  private readonly heap: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.heap = new Float64Array(Math.max(1, capacity));
  }

  nextFree(now: number): number {
    return this.size < this.heap.length ? now : (this.heap[0] as number);
  }

  occupy(freeAt: number): void {
    if (this.size < this.heap.length) {
      let i = this.size++;
      this.heap[i] = freeAt;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if ((this.heap[parent] as number) <= (this.heap[i] as number)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    // Full: the earliest slot was taken; its new free time replaces the root.
    this.heap[0] = freeAt;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && (this.heap[l] as number) < (this.heap[m] as number)) m = l;
      if (r < this.size && (this.heap[r] as number) < (this.heap[m] as number)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const t = this.heap[a] as number;
    this.heap[a] = this.heap[b] as number;
    this.heap[b] = t;
  }
}
