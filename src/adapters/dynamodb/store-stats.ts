/** Plain counters a benchmark or a run summary can read; nothing SDK-shaped. */
export interface StoreStatsSnapshot {
  /** Requests sent, by operation name (each SDK call counts once, whatever its internal retries). */
  readonly calls: Readonly<Record<string, number>>;
  /** Write units the service reported (ReturnConsumedCapacity TOTAL; base table only). */
  readonly writeUnits: number;
  readonly readUnits: number;
  /** BatchWriteItem calls that only re-sent UnprocessedItems. */
  readonly unprocessedRetries: number;
  /** Node items over one write unit even after shrinking. */
  readonly oversizedItems: number;
  /** Stored items skipped on read because their shape was wrong. */
  readonly invalidItems: number;
}

export interface Capacity {
  readonly CapacityUnits?: number | undefined;
  readonly ReadCapacityUnits?: number | undefined;
  readonly WriteCapacityUnits?: number | undefined;
}

const READS = new Set(['Query', 'Scan', 'GetItem', 'BatchGetItem']);

export class StoreStats {
  private calls: Record<string, number> = {};
  private writeUnits = 0;
  private readUnits = 0;
  private unprocessedRetries = 0;
  private oversizedItems = 0;
  private invalidItems = 0;

  recordCall(operation: string, consumed: Capacity | readonly Capacity[] | undefined): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    const list: readonly Capacity[] =
      consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    for (const capacity of list as readonly Capacity[]) {
      const units = capacity.CapacityUnits ?? 0;
      if (READS.has(operation)) this.readUnits += units;
      else this.writeUnits += units;
    }
  }

  recordRetry(): void {
    this.unprocessedRetries += 1;
  }

  recordOversized(count: number): void {
    this.oversizedItems += count;
  }

  recordInvalid(): void {
    this.invalidItems += 1;
  }

  snapshot(): StoreStatsSnapshot {
    return {
      calls: { ...this.calls },
      writeUnits: this.writeUnits,
      readUnits: this.readUnits,
      unprocessedRetries: this.unprocessedRetries,
      oversizedItems: this.oversizedItems,
      invalidItems: this.invalidItems,
    };
  }

  reset(): void {
    this.calls = {};
    this.writeUnits = 0;
    this.readUnits = 0;
    this.unprocessedRetries = 0;
    this.oversizedItems = 0;
    this.invalidItems = 0;
  }
}
