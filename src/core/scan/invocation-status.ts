/**
 * SSM Run Command invocation statuses (API `Status` plus the finer `StatusDetails`) and what each
 * means for a node's verdict in a scan.
 */

/** Still moving: the scan waits for these until its deadline. */
const IN_FLIGHT = new Set(['Pending', 'InProgress', 'Delayed', 'Cancelling']);

/** SSM could not run the probe: the node is UNREACHABLE with this status kept. */
const UNREACHABLE = new Set([
  'Failed',
  'TimedOut',
  'DeliveryTimedOut',
  'ExecutionTimedOut',
  'Undeliverable',
  'Terminated',
  'InvalidPlatform',
  'AccessDenied',
  'Cancelled',
  'RateExceeded',
]);

export type InvocationOutcome = 'success' | 'unreachable' | 'in-flight';

/**
 * Classifies an invocation. `StatusDetails` is preferred when it names a terminal state, since
 * `Status` folds several of them together (TimedOut covers delivery and execution time-outs).
 * An unrecognised terminal-looking status counts as unreachable, never as success.
 */
export function classifyInvocation(status: string | undefined, details?: string): InvocationOutcome {
  const detail = normalize(details);
  const main = normalize(status);
  if (main === 'Success' || (main === undefined && detail === 'Success')) return 'success';
  if (main !== undefined && IN_FLIGHT.has(main)) return 'in-flight';
  if (main === undefined && detail !== undefined && IN_FLIGHT.has(detail)) return 'in-flight';
  return 'unreachable';
}

/** The status word to keep on an UNREACHABLE node: the finer detail when it is one SSM defines. */
export function unreachableStatusOf(status: string | undefined, details?: string): string {
  const detail = normalize(details);
  if (detail && UNREACHABLE.has(detail)) return detail;
  return normalize(status) ?? 'Unknown';
}

// SSM spells some details with spaces in the console ("Delivery Timed Out"); the API does not.
function normalize(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  return value.replace(/\s+/g, '');
}

/** Command-level statuses after which no invocation will change any more. */
const COMMAND_TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled', 'Incomplete', 'RateExceeded', 'AccessDenied', 'DeliveryTimedOut', 'ExecutionTimedOut', 'NoInstancesInTag', 'LimitExceeded', 'Terminated']);

export function isCommandFinished(status: string | undefined): boolean {
  return status !== undefined && COMMAND_TERMINAL.has(normalize(status) ?? '');
}
