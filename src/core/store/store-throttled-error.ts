import { AppError } from '../errors.ts';

/** DynamoDB kept throttling after the SDK's own retries (ThrottlingException and kin). */
export class StoreThrottledError extends AppError {
  override name = 'StoreThrottledError';
  readonly operation: string;

  constructor(operation: string, options?: ErrorOptions) {
    super('store.throttled', `the table throttled ${operation} after retries; try again later`, options);
    this.operation = operation;
  }
}
