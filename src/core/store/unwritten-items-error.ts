import { AppError } from '../errors.ts';
import { type ItemKey, nodeFromPartitionKey } from './table-keys.ts';

/**
 * Some items were still not written after the batch retries: nothing is dropped silently, the
 * caller gets every key that is missing (and the first underlying failure as `cause`).
 */
export class UnwrittenItemsError extends AppError {
  override name = 'UnwrittenItemsError';
  readonly keys: readonly ItemKey[];
  readonly attempted: number;

  constructor(keys: readonly ItemKey[], attempted: number, options?: ErrorOptions) {
    const sample = keys
      .slice(0, 3)
      .map((key) => `${key.pk}/${key.sk}`)
      .join(', ');
    const more = keys.length > 3 ? ` and ${keys.length - 3} more` : '';
    super(
      'store.unwritten-items',
      `${keys.length} of ${attempted} items were not written after retries: ${sample}${more}`,
      options,
    );
    this.keys = keys;
    this.attempted = attempted;
  }

  /** The node ids among the unwritten keys (what a scan run records as not stored). */
  get nodes(): string[] {
    return this.keys.map((key) => nodeFromPartitionKey(key.pk)).filter((node) => node !== undefined);
  }
}
