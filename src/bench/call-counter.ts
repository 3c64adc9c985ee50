/**
 * Counts AWS calls the way AWS bills and throttles them, from inside the SDK clients rather than
 * from the adapters' own counters: a middleware at `initialize` sees each logical call once (what
 * the code asked for), one at `finalizeRequest` below the retry middleware sees every attempt
 * (what reached the service, throttled retries included).
 */

/** Counts by service, then by operation (`SendCommand`, `BatchWriteItem`, ...). */
export type OperationCounts = Record<string, Record<string, number>>;

export interface PhaseCounts {
  readonly calls: OperationCounts;
  readonly attempts: OperationCounts;
  /** Logical calls that still failed after the SDK's retries. */
  readonly failures: OperationCounts;
  /** Attempts that failed, by error name (ThrottlingException, ...). */
  readonly attemptErrors: Record<string, number>;
}

type Handler<A, R> = (args: A) => Promise<R>;
interface MiddlewareContext {
  readonly commandName?: string;
}

type CountingMiddleware = <A, R>(next: Handler<A, R>, context: MiddlewareContext) => Handler<A, R>;
interface StepOptions<S extends string> {
  readonly step: S;
  readonly name: string;
  readonly priority?: 'high' | 'normal' | 'low';
  readonly override?: boolean;
}

/** The part of an SDK v3 client the counter needs (every client has it). */
export interface CountableClient {
  readonly middlewareStack: {
    add(middleware: CountingMiddleware, options: StepOptions<'initialize'>): void;
    add(middleware: CountingMiddleware, options: StepOptions<'finalizeRequest'>): void;
  };
}

function emptyPhase(): PhaseCounts {
  return { calls: {}, attempts: {}, failures: {}, attemptErrors: {} };
}

function add(counts: OperationCounts, service: string, operation: string, n: number): void {
  const byOperation = counts[service] ?? {};
  byOperation[operation] = (byOperation[operation] ?? 0) + n;
  counts[service] = byOperation;
}

function bump(counts: OperationCounts, service: string, operation: string): void {
  add(counts, service, operation, 1);
}

/** `SendCommandCommand` -> `SendCommand` (lib-dynamodb's commands run as the inner ones). */
function operationOf(context: MiddlewareContext): string {
  const name = context.commandName ?? 'Unknown';
  return name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error)
    return String((error as { name: unknown }).name);
  return 'Error';
}

/**
 * Call counts per phase (the bench sets the phase to the scan step running: dispatch, check,
 * collect, finalize...). Attach once per client, before its first call.
 */
export class CallCounter {
  private readonly phases = new Map<string, PhaseCounts>();
  private current = 'setup';

  /** Calls made from now on count under `phase`. */
  setPhase(phase: string): void {
    this.current = phase;
  }

  attach(service: string, client: CountableClient): void {
    const phase = (): PhaseCounts => {
      let counts = this.phases.get(this.current);
      if (counts === undefined) {
        counts = emptyPhase();
        this.phases.set(this.current, counts);
      }
      return counts;
    };
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const counts = phase();
        bump(counts.calls, service, operationOf(context));
        try {
          return await next(args);
        } catch (error) {
          bump(counts.failures, service, operationOf(context));
          throw error;
        }
      },
      { step: 'initialize', name: `benchCountCalls-${service}`, priority: 'high', override: true },
    );
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const counts = phase();
        bump(counts.attempts, service, operationOf(context));
        try {
          return await next(args);
        } catch (error) {
          const name = errorName(error);
          counts.attemptErrors[name] = (counts.attemptErrors[name] ?? 0) + 1;
          throw error;
        }
      },
      // Below the retry middleware (finalizeRequest, priority high): runs once per attempt.
      { step: 'finalizeRequest', name: `benchCountAttempts-${service}`, priority: 'low', override: true },
    );
  }

  /** Counts of one phase, or of all phases summed when none is named. */
  counts(phase?: string): PhaseCounts {
    return this.sum(phase === undefined ? [...this.phases.keys()] : [phase]);
  }

  /** Counts of the named phases, summed. */
  sum(phases: readonly string[]): PhaseCounts {
    const total = emptyPhase();
    for (const phase of phases) {
      const counts = this.phases.get(phase);
      if (counts) addPhase(total, counts);
    }
    return total;
  }

  phaseNames(): string[] {
    return [...this.phases.keys()];
  }
}

function addCounts(into: OperationCounts, from: OperationCounts): void {
  for (const [service, byOperation] of Object.entries(from)) {
    for (const [operation, n] of Object.entries(byOperation)) add(into, service, operation, n);
  }
}

function addPhase(into: PhaseCounts, from: PhaseCounts): void {
  addCounts(into.calls, from.calls);
  addCounts(into.attempts, from.attempts);
  addCounts(into.failures, from.failures);
  for (const [name, n] of Object.entries(from.attemptErrors))
    into.attemptErrors[name] = (into.attemptErrors[name] ?? 0) + n;
}

/** Two phases' counts summed (a new object; neither input changes). */
export function mergePhaseCounts(a: PhaseCounts, b: PhaseCounts): PhaseCounts {
  const total = emptyPhase();
  addPhase(total, a);
  addPhase(total, b);
  return total;
}

/** Sum over every service and operation. */
export function totalOf(counts: OperationCounts, services?: readonly string[]): number {
  let total = 0;
  for (const [service, byOperation] of Object.entries(counts)) {
    if (services !== undefined && !services.includes(service)) continue;
    for (const n of Object.values(byOperation)) total += n;
  }
  return total;
}
