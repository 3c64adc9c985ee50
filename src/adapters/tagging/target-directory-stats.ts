/** Plain counters a benchmark can read; nothing SDK-shaped. */
export interface TargetDirectoryStatsSnapshot {
  /** Requests made, by operation (each SDK call counts once, whatever its internal retries). */
  readonly calls: Readonly<Record<string, number>>;
  /** Calls that ended in an error after the SDK's retries, by operation. */
  readonly failures: Readonly<Record<string, number>>;
  /** Extra attempts the SDK made (throttling, 5xx), summed over all calls. */
  readonly retries: number;
  /** Resources the listing returned, and those skipped because their ARN names no node. */
  readonly resources: number;
  readonly skippedArns: number;
}

export interface AttemptMetadata {
  readonly attempts?: number | undefined;
}

export class TargetDirectoryStats {
  private calls: Record<string, number> = {};
  private failures: Record<string, number> = {};
  private retries = 0;
  private resources = 0;
  private skippedArns = 0;

  recordCall(operation: string, metadata: AttemptMetadata | undefined, failed = false): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    if (failed) this.failures[operation] = (this.failures[operation] ?? 0) + 1;
    this.retries += Math.max(0, (metadata?.attempts ?? 1) - 1);
  }

  recordResources(listed: number, skipped: number): void {
    this.resources += listed;
    this.skippedArns += skipped;
  }

  snapshot(): TargetDirectoryStatsSnapshot {
    return {
      calls: { ...this.calls },
      failures: { ...this.failures },
      retries: this.retries,
      resources: this.resources,
      skippedArns: this.skippedArns,
    };
  }

  reset(): void {
    this.calls = {};
    this.failures = {};
    this.retries = 0;
    this.resources = 0;
    this.skippedArns = 0;
  }
}

/** The `$metadata` an SDK error carries (how many attempts it took), if any. */
export function metadataOf(error: unknown): AttemptMetadata | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: unknown }).$metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as AttemptMetadata) : undefined;
}
