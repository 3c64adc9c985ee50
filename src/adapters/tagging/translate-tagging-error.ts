import { AppError, describeError } from '../../core/errors.ts';
import { TaggingRequestError } from './tagging-request-error.ts';
import { TaggingThrottledError } from './tagging-throttled-error.ts';

/** The Tagging API says ThrottledException (not SSM's ThrottlingException); both are accepted. */
const THROTTLING = new Set(['ThrottledException', 'ThrottlingException', 'TooManyRequestsException']);

/** Turns anything the SDK throws into a domain error, keeping the original as `cause`. */
export function translateTaggingError(error: unknown, operation: string): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : undefined;
  if (name !== undefined && THROTTLING.has(name))
    return new TaggingThrottledError(operation, { cause: error });
  const isServiceError = typeof error === 'object' && error !== null && '$fault' in error;
  return new TaggingRequestError(operation, isServiceError ? name : undefined, describeError(error), {
    cause: error,
  });
}
