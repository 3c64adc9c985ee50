import type { StepError } from '../shared/scan-events.ts';

/**
 * One line for the run's notes from a Step Functions Catch: `<Error>: <message>`. For a Lambda
 * error the Cause is the runtime's JSON (`{"errorType","errorMessage","trace"}`); the message is
 * taken from it, the trace left out.
 */
export function describeStepError(error: StepError | undefined): string {
  const name = error?.Error || 'UnknownError';
  const cause = error?.Cause?.trim();
  if (!cause) return name;
  let message = cause;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      const text = (parsed as { errorMessage?: unknown }).errorMessage;
      if (typeof text === 'string' && text !== '') message = text;
    }
  } catch {
    // Not JSON (a States.* error): the Cause is already text.
  }
  return `${name}: ${message}`;
}
