import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCAN_STEPS } from '../../../src/shared/runtime-settings.ts';
import {
  RETRYABLE_APPLICATION_ERRORS,
  SCAN_ALREADY_RUNNING_ERROR,
} from '../../../lib/constructs/scan-state-machine.ts';
import { ScanAlreadyRunningError } from '../../../src/core/store/scan-already-running-error.ts';
import { buildStack } from '../stack-fixture.ts';

interface State {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: Array<{ Variable: string; BooleanEquals?: boolean; Next: string }>;
  readonly Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string | null }>;
  readonly Retry?: Array<{ ErrorEquals: string[] }>;
  readonly Parameters?: Record<string, unknown>;
  readonly ResultSelector?: Record<string, unknown>;
  readonly Seconds?: number;
  readonly ErrorPath?: string;
}

const { template } = buildStack();
const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Array<{
  Properties: {
    DefinitionString: { 'Fn::Join': [string, unknown[]] };
    TracingConfiguration: { Enabled: boolean };
    LoggingConfiguration: { Level: string; IncludeExecutionData: boolean };
    StateMachineType?: string;
  };
}>;
/** The definition JSON with every CloudFormation reference replaced by a placeholder string. */
const definition = JSON.parse(
  machine!.Properties.DefinitionString['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : 'REF'))
    .join(''),
) as { StartAt: string; States: Record<string, State>; TimeoutSeconds?: number };
const states = definition.States;
const LAMBDA_STEPS = ['Dispatch', 'Check', 'Collect', 'Finalize'];

describe('scan state machine', () => {
  it('is a Standard state machine with X-Ray and ALL-level logging without execution data', () => {
    expect(machine!.Properties.StateMachineType ?? 'STANDARD').toBe('STANDARD');
    expect(machine!.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine!.Properties.LoggingConfiguration).toMatchObject({
      Level: 'ALL',
      IncludeExecutionData: false,
    });
  });

  it('has one Lambda step per SCAN_STEPS entry, in order', () => {
    expect(LAMBDA_STEPS.map((s) => s.toLowerCase())).toEqual([...SCAN_STEPS]);
    for (const step of LAMBDA_STEPS) expect(states[step]?.Type).toBe('Task');
  });

  it('starts the run from the execution name and start time', () => {
    expect(definition.StartAt).toBe('StartRun');
    expect(states.StartRun).toMatchObject({
      Type: 'Pass',
      Next: 'Dispatch',
      Parameters: { state: { 'runId.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime' } },
    });
    expect(states.Dispatch!.Parameters).toMatchObject({ 'Payload.$': '$.state' });
  });

  it('waits, checks and loops until the commands are ready', () => {
    expect(states.Dispatch!.Next).toBe('WaitForNodes');
    expect(states.WaitForNodes).toMatchObject({ Type: 'Wait', Seconds: 30, Next: 'Check' });
    expect(states.Check!.Next).toBe('Ready?');
    expect(states['Ready?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.state.ready', BooleanEquals: true, Next: 'Collect' }],
      Default: 'WaitForNodes',
    });
  });

  it('collects page by page until collected, then finalizes', () => {
    expect(states.Collect!.Next).toBe('Collected?');
    expect(states['Collected?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.state.collected', BooleanEquals: true, Next: 'Finalize' }],
      Default: 'Collect',
    });
    expect(states.Finalize!.Next).toBe('ScanComplete');
    expect(states.ScanComplete!.Type).toBe('Succeed');
  });

  it('keeps the step results as $.state', () => {
    for (const step of ['Dispatch', 'Check', 'Collect']) {
      expect(states[step]!.ResultSelector).toEqual({ 'state.$': '$.Payload' });
    }
  });

  it('catches every error of every step into RecordFailure with the error beside the state', () => {
    for (const step of LAMBDA_STEPS) {
      expect(states[step]!.Catch!.at(-1)).toEqual({
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.error',
        Next: 'RecordFailure',
      });
    }
    expect(states.RecordFailure).toMatchObject({ Type: 'Task', Next: 'ScanFailed', ResultPath: null });
    expect(states.RecordFailure!.Parameters).toMatchObject({ 'Payload.$': '$' });
    expect(states.ScanFailed).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it('ends failed even when recording the failure fails', () => {
    expect(states.RecordFailure!.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.recordFailureError', Next: 'ScanFailed' },
    ]);
  });

  it('ends a dispatch that finds the lock taken as a success, before the catch-all', () => {
    expect(states.Dispatch!.Catch![0]).toEqual({
      ErrorEquals: [SCAN_ALREADY_RUNNING_ERROR],
      ResultPath: null,
      Next: 'SkippedAnotherScanRunning',
    });
    expect(states.SkippedAnotherScanRunning!.Type).toBe('Succeed');
  });

  it('catches the error name the dispatch Lambda actually throws', () => {
    expect(new ScanAlreadyRunningError('run-2', undefined).name).toBe(SCAN_ALREADY_RUNNING_ERROR);
  });

  it('retries Lambda service errors and throttles on every step, never the lock error', () => {
    for (const step of [...LAMBDA_STEPS, 'RecordFailure']) {
      const retried = states[step]!.Retry!.flatMap((r) => r.ErrorEquals);
      expect(retried).toEqual(
        expect.arrayContaining([
          'Lambda.ServiceException',
          'Lambda.TooManyRequestsException',
          'SsmThrottledError',
        ]),
      );
      expect(retried).not.toContain(SCAN_ALREADY_RUNNING_ERROR);
      expect(retried).not.toContain('States.ALL');
    }
  });

  it('times out after the scan deadline plus two hours for collecting', () => {
    expect(definition.TimeoutSeconds).toBe(1800 + 7200);
  });

  it('retries only error names the runtime really throws', () => {
    const declared = new Set(
      (readdirSync(new URL('../../../src/', import.meta.url), { recursive: true }) as string[])
        .filter((file) => file.endsWith('.ts'))
        .flatMap((file) =>
          [
            ...readFileSync(new URL(`../../../src/${file}`, import.meta.url), 'utf8').matchAll(
              /override name = '(\w+)'/g,
            ),
          ].map((m) => m[1]),
        ),
    );
    for (const name of [...RETRYABLE_APPLICATION_ERRORS, SCAN_ALREADY_RUNNING_ERROR])
      expect(declared).toContain(name);
  });
});
