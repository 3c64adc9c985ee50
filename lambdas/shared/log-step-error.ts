import { ScanAlreadyRunningError } from '../../src/core/store/scan-already-running-error.ts';
import type { StepLogger } from './handler-options.ts';
import type { LambdaContextLike } from './scan-deps.ts';

/**
 * The one catch of every handler: logs the failure and returns the error to throw. The error is
 * thrown as it is: Lambda reports its `name` as the errorType, which is what a Step Functions
 * Retry or Catch matches (`ScanAlreadyRunningError`, `SsmThrottledError`, `StoreThrottledError`...).
 * A thrown non-Error becomes an Error so the errorType is never empty.
 */
export function logStepError(
  logger: StepLogger,
  step: string,
  error: unknown,
  context: LambdaContextLike | undefined,
): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  const where = { step, requestId: context?.awsRequestId };
  if (failure instanceof ScanAlreadyRunningError) {
    // Expected when schedules overlap: the state machine ends the execution as skipped.
    logger.warn('scan skipped: another run holds the lock', { ...where, holder: failure.holderRunId });
  } else {
    logger.error(`scan ${step} failed`, { ...where, errorName: failure.name }, failure);
  }
  return failure;
}
