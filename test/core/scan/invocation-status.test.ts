import { describe, expect, it } from 'vitest';
import {
  classifyInvocation,
  isCommandFinished,
  unreachableStatusOf,
} from '../../../src/core/scan/invocation-status.ts';

// Statuses from the SSM API reference (ListCommandInvocations Status / StatusDetails) and the
// Run Command "Understanding command statuses" page.
describe('classifyInvocation', () => {
  it.for([
    ['Success', 'Success', 'success'],
    ['InProgress', 'InProgress', 'in-flight'],
    ['Pending', 'Pending', 'in-flight'],
    ['Delayed', 'Delayed', 'in-flight'],
    ['Cancelling', 'Cancelling', 'in-flight'],
    ['Failed', 'Failed', 'unreachable'],
    ['TimedOut', 'DeliveryTimedOut', 'unreachable'],
    ['TimedOut', 'ExecutionTimedOut', 'unreachable'],
    ['Failed', 'Undeliverable', 'unreachable'],
    ['Cancelled', 'Terminated', 'unreachable'],
    ['Failed', 'InvalidPlatform', 'unreachable'],
    ['Failed', 'AccessDenied', 'unreachable'],
    ['Cancelled', 'Cancelled', 'unreachable'],
    ['Whatever', undefined, 'unreachable'],
  ] as const)('%s / %s is %s', ([status, details, expected]) => {
    expect(classifyInvocation(status, details)).toBe(expected);
  });

  it('keeps the finer StatusDetails for an unreachable node', () => {
    expect(unreachableStatusOf('TimedOut', 'DeliveryTimedOut')).toBe('DeliveryTimedOut');
    expect(unreachableStatusOf('TimedOut', 'Delivery Timed Out')).toBe('DeliveryTimedOut');
    expect(unreachableStatusOf('Failed', 'some text')).toBe('Failed');
    expect(unreachableStatusOf(undefined, undefined)).toBe('Unknown');
  });

  it('knows when a command will not change any more', () => {
    expect(isCommandFinished('InProgress')).toBe(false);
    expect(isCommandFinished('Pending')).toBe(false);
    expect(isCommandFinished('Success')).toBe(true);
    expect(isCommandFinished('Incomplete')).toBe(true);
    expect(isCommandFinished(undefined)).toBe(false);
  });
});
