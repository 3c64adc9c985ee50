/** Plain counters a benchmark or a run summary can read; nothing SDK-shaped. */
export interface FleetCommandStatsSnapshot {
  /** Requests made, by operation (each SDK call counts once, whatever its internal retries). */
  readonly calls: Readonly<Record<string, number>>;
  /** Calls that ended in an error after the SDK's retries, by operation. */
  readonly failures: Readonly<Record<string, number>>;
  /** Extra attempts the SDK made (throttling, 5xx), summed over all calls. */
  readonly retries: number;
  /** Time the SDK spent waiting between attempts, ms. */
  readonly retryDelayMs: number;
}

/** `$metadata` of an SDK output or service error: how many attempts the call took. */
export interface AttemptMetadata {
  readonly attempts?: number | undefined;
  readonly totalRetryDelay?: number | undefined;
}

export class FleetCommandStats {
  private calls: Record<string, number> = {};
  private failures: Record<string, number> = {};
  private retries = 0;
  private retryDelayMs = 0;

  recordCall(operation: string, metadata: AttemptMetadata | undefined, failed = false): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    if (failed) this.failures[operation] = (this.failures[operation] ?? 0) + 1;
    this.retries += Math.max(0, (metadata?.attempts ?? 1) - 1);
    this.retryDelayMs += metadata?.totalRetryDelay ?? 0;
  }

  snapshot(): FleetCommandStatsSnapshot {
    return {
      calls: { ...this.calls },
      failures: { ...this.failures },
      retries: this.retries,
      retryDelayMs: this.retryDelayMs,
    };
  }

  reset(): void {
    this.calls = {};
    this.failures = {};
    this.retries = 0;
    this.retryDelayMs = 0;
  }
}

/** The `$metadata` an SDK error carries, if any. */
export function metadataOf(error: unknown): AttemptMetadata | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: unknown }).$metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as AttemptMetadata) : undefined;
}
