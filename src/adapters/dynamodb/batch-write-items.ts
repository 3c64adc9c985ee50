import type { BatchWriteCommandInput, BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { StoredMap } from '../../core/store/item-size.ts';
import type { ItemKey } from '../../core/store/table-keys.ts';
import { UnwrittenItemsError } from '../../core/store/unwritten-items-error.ts';
import { TABLE_PARTITION_KEY, TABLE_SORT_KEY } from '../../shared/table-schema.ts';

/** BatchWriteItem's own limit: 25 put/delete requests per call. */
export const BATCH_WRITE_LIMIT = 25;

export interface BatchWriteSettings {
  readonly tableName: string;
  /** Sends one BatchWriteItem (the caller counts, translates errors and asks for consumed capacity). */
  readonly send: (input: BatchWriteCommandInput) => Promise<BatchWriteCommandOutput>;
  /** Batches in flight at once. */
  readonly concurrency: number;
  /** Calls per batch, the first included, before its leftovers count as unwritten. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter source. */
  readonly random: () => number;
  readonly onRetry?: () => void;
}

export interface BatchWriteResult {
  readonly written: number;
  readonly duplicatesDropped: number;
  readonly batches: number;
  readonly retries: number;
}

type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

function keyOf(item: StoredMap): ItemKey {
  return { pk: String(item[TABLE_PARTITION_KEY]), sk: String(item[TABLE_SORT_KEY]) };
}

/**
 * Puts `items` in batches of 25, a few batches at a time. DynamoDB rejects a batch holding one key
 * twice, so duplicates collapse first (the last given wins, across the whole input, so two
 * concurrent batches never race on one key). UnprocessedItems are re-sent with exponential
 * backoff and jitter; whatever is still unwritten after `maxAttempts`, or was in a batch whose
 * call failed outright, is thrown back as one UnwrittenItemsError listing every key.
 */
export async function batchWriteItems(
  items: readonly StoredMap[],
  settings: BatchWriteSettings,
): Promise<BatchWriteResult> {
  const byKey = new Map<string, StoredMap>();
  for (const item of items) {
    const key = keyOf(item);
    const id = JSON.stringify([key.pk, key.sk]);
    byKey.delete(id);
    byKey.set(id, item);
  }
  const unique = [...byKey.values()];
  const batches: StoredMap[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_WRITE_LIMIT)
    batches.push(unique.slice(i, i + BATCH_WRITE_LIMIT));

  const unwritten: ItemKey[] = [];
  let firstError: unknown;
  let retries = 0;
  let next = 0;

  const writeBatch = async (batch: StoredMap[]): Promise<void> => {
    let requests: WriteRequests = batch.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; ; attempt += 1) {
      let output: BatchWriteCommandOutput;
      try {
        output = await settings.send({ RequestItems: { [settings.tableName]: requests } });
      } catch (error) {
        firstError ??= error;
        unwritten.push(...requests.map((r) => keyOf((r.PutRequest?.Item ?? {}) as StoredMap)));
        return;
      }
      const left = output.UnprocessedItems?.[settings.tableName] ?? [];
      if (left.length === 0) return;
      if (attempt >= settings.maxAttempts) {
        unwritten.push(...left.map((r) => keyOf((r.PutRequest?.Item ?? {}) as StoredMap)));
        return;
      }
      retries += 1;
      settings.onRetry?.();
      await settings.sleep(backoffMs(attempt, settings));
      requests = left;
    }
  };

  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next]!;
      next += 1;
      await writeBatch(batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, batches.length) }, worker));

  if (unwritten.length > 0) {
    throw new UnwrittenItemsError(
      unwritten,
      unique.length,
      firstError === undefined ? undefined : { cause: firstError },
    );
  }
  return {
    written: unique.length,
    duplicatesDropped: items.length - unique.length,
    batches: batches.length,
    retries,
  };
}

/**
 * "Equal jitter": half the exponential step is kept, half is random, so delays both grow and
 * spread (many Lambdas retrying in step would otherwise hit the table together again).
 */
export function backoffMs(
  attempt: number,
  settings: Pick<BatchWriteSettings, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  return step / 2 + settings.random() * (step / 2);
}
