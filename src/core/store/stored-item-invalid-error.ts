import { AppError } from '../errors.ts';

/** A stored item does not have the shape this version reads (hand-edited, or written by a newer one). */
export class StoredItemInvalidError extends AppError {
  override name = 'StoredItemInvalidError';
  readonly key: string;
  readonly field: string;

  constructor(key: string, field: string, problem: string) {
    super('store.item-invalid', `stored item ${key}: ${field} ${problem}`);
    this.key = key;
    this.field = field;
  }
}
