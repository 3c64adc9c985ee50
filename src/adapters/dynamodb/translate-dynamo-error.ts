import { AppError, describeError } from '../../core/errors.ts';
import { StoreRequestError } from '../../core/store/store-request-error.ts';
import { StoreThrottledError } from '../../core/store/store-throttled-error.ts';
import { TableNotFoundError } from '../../core/store/table-not-found-error.ts';

/** Service errors that mean "too fast": the SDK already retried them; still failing = throttled. */
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Turns anything the SDK throws into a domain error, keeping the original as `cause`. */
export function translateDynamoError(error: unknown, operation: string, tableName: string): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : undefined;
  if (name !== undefined && THROTTLING.has(name)) return new StoreThrottledError(operation, { cause: error });
  if (name === 'ResourceNotFoundException') return new TableNotFoundError(tableName, { cause: error });
  // A service error carries $fault ('client' | 'server'); a socket error (no endpoint listening) does not.
  const isServiceError = typeof error === 'object' && error !== null && '$fault' in error;
  return new StoreRequestError(operation, isServiceError ? name : undefined, describeError(error), {
    cause: error,
  });
}
