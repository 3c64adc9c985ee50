import { describe, expect, it } from 'vitest';
import { SCAN_ALREADY_RUNNING_ERROR } from '../../lib/constructs/scan-state-machine.ts';
import { describeStepError } from '../../lambdas/scan-fail/describe-step-error.ts';
import { ScanAlreadyRunningError } from '../../src/core/store/scan-already-running-error.ts';

describe('describeStepError', () => {
  it.each([
    [
      'a Lambda error: the message from the runtime JSON, no trace',
      {
        Error: 'SsmThrottledError',
        Cause: '{"errorType":"SsmThrottledError","errorMessage":"SSM throttled","trace":["at x"]}',
      },
      'SsmThrottledError: SSM throttled',
    ],
    [
      'a States.* error: the Cause as text',
      { Error: 'States.Timeout', Cause: 'Task timed out' },
      'States.Timeout: Task timed out',
    ],
    ['JSON without errorMessage: kept whole', { Error: 'E', Cause: '{"a":1}' }, 'E: {"a":1}'],
    ['no cause', { Error: 'States.Runtime' }, 'States.Runtime'],
    ['nothing at all', undefined, 'UnknownError'],
  ])('%s', (_, error, text) => {
    expect(describeStepError(error)).toBe(text);
  });
});

describe('SCAN_ALREADY_RUNNING_ERROR', () => {
  it('is the name Lambda reports for ScanAlreadyRunningError', () => {
    expect(new ScanAlreadyRunningError('r', undefined).name).toBe(SCAN_ALREADY_RUNNING_ERROR);
  });
});
