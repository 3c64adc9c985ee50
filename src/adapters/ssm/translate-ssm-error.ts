import { AppError, describeError } from '../../core/errors.ts';
import { AdvisoryParameterNotFoundError } from './advisory-parameter-not-found-error.ts';
import { CommandNotFoundError } from './command-not-found-error.ts';
import { InvocationNotFoundError } from './invocation-not-found-error.ts';
import { SsmRequestError } from './ssm-request-error.ts';
import { SsmThrottledError } from './ssm-throttled-error.ts';

/** Error names meaning "too fast": the SDK already retried them; still failing = throttled. */
const THROTTLING = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/** What the failed request was about, so the domain error can name it. */
export interface SsmErrorSubject {
  readonly commandId?: string;
  readonly instanceId?: string;
  readonly parameterName?: string;
}

/** Turns anything the SDK throws into a domain error, keeping the original as `cause`. */
export function translateSsmError(
  error: unknown,
  operation: string,
  subject: SsmErrorSubject = {},
): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : undefined;
  const options = { cause: error };
  if (name !== undefined && THROTTLING.has(name)) return new SsmThrottledError(operation, options);
  if (name === 'InvalidCommandId' && subject.commandId !== undefined) {
    return new CommandNotFoundError(subject.commandId, options);
  }
  if (
    name === 'InvocationDoesNotExist' &&
    subject.commandId !== undefined &&
    subject.instanceId !== undefined
  ) {
    return new InvocationNotFoundError(subject.commandId, subject.instanceId, options);
  }
  if (name === 'ParameterNotFound' && subject.parameterName !== undefined) {
    return new AdvisoryParameterNotFoundError(subject.parameterName, options);
  }
  // A service error carries $fault ('client' | 'server'); a socket error (no endpoint listening) does not.
  const isServiceError = typeof error === 'object' && error !== null && '$fault' in error;
  return new SsmRequestError(operation, isServiceError ? name : undefined, describeError(error), options);
}
