import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  JitterType,
  JsonPath,
  LogLevel,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  acknowledgeFindings,
  UNSCOPED_RESOURCE_FINDING,
  wildcardResourceFinding,
} from '../nag/nag-findings.ts';

/** The error the dispatch Lambda throws when another run holds the scan lock (src/core/store/scan-already-running-error.ts). */
export const SCAN_ALREADY_RUNNING_ERROR = 'ScanAlreadyRunningError';

/**
 * Errors the handlers raise when AWS throttled them (src/adapters/... *ThrottledError) or a batch
 * write left items unwritten. Every step is idempotent (same input, same writes), so retrying the
 * whole step is safe.
 */
export const RETRYABLE_APPLICATION_ERRORS = [
  'SsmThrottledError',
  'StoreThrottledError',
  'TaggingThrottledError',
  'UnwrittenItemsError',
] as const;

/** Lambda refused the invocation for lack of concurrency; the function never ran. */
const LAMBDA_THROTTLE_ERRORS = ['Lambda.TooManyRequestsException'];

export interface ScanStateMachineProps {
  readonly dispatch: IFunction;
  readonly check: IFunction;
  readonly collect: IFunction;
  readonly finalize: IFunction;
  /** Records the run as FAILED and releases the lock; gets `{ state, error }`. */
  readonly fail: IFunction;
  /** The scan deadline: the execution timeout is this plus time to collect and finalize. */
  readonly scanDeadline: Duration;
  readonly logRetention: RetentionDays;
  /**
   * Pause between two looks at the commands' progress.
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;
  /**
   * Time after the deadline for collect passes and finalize before the execution times out.
   * @default Duration.hours(2)
   */
  readonly collectAllowance?: Duration;
}

/**
 * One execution = one scan run. The execution's name is the run id and its start time the run's
 * start, so a step retried by Step Functions, or a whole duplicate delivery, sees the same run.
 *
 *   StartRun -> Dispatch -> WaitForNodes -> Check -> Ready? --no--> WaitForNodes
 *                                                      |yes
 *                                                   Collect -> Collected? --no--> Collect (next page cursor)
 *                                                                 |yes
 *                                                              Finalize -> ScanComplete
 *   Dispatch --ScanAlreadyRunningError--> SkippedAnotherScanRunning (success: nothing to do)
 *   any step --other error--> RecordFailure(fail Lambda: { state, error }) -> ScanFailed
 *
 * The state is carried as `$.state` (the Lambdas' ScanState: counts and a cursor, never per-node
 * data), so a caught error lands beside it as `$.error` and the fail Lambda gets both.
 * Logging: ALL events without execution data (node ids and tallies stay out of the logs); X-Ray on.
 */
export class ScanStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ScanStateMachineProps) {
    super(scope, id);

    const ended = new Fail(this, 'ScanFailed', {
      comment: 'The run is recorded FAILED (or could not be recorded); the error is the step error.',
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const recordFailure = this.step('RecordFailure', props.fail, {
      payload: TaskInput.fromJsonPathAt('$'),
      resultPath: JsonPath.DISCARD,
    });
    // If even recording the failure fails, end failed anyway (the lock lease expires on its own).
    recordFailure.addCatch(ended, { errors: [Errors.ALL], resultPath: '$.recordFailureError' });
    recordFailure.next(ended);

    const startRun = new Pass(this, 'StartRun', {
      comment: 'Run id = execution name, start = execution start time.',
      parameters: {
        state: { runId: JsonPath.executionName, startedAt: JsonPath.executionStartTime },
      },
    });
    const dispatch = this.stateStep('Dispatch', props.dispatch);
    dispatch.addCatch(
      new Succeed(this, 'SkippedAnotherScanRunning', { comment: 'Another run holds the lock.' }),
      {
        errors: [SCAN_ALREADY_RUNNING_ERROR],
        resultPath: JsonPath.DISCARD,
      },
    );
    const wait = new Wait(this, 'WaitForNodes', {
      time: WaitTime.duration(props.pollInterval ?? Duration.seconds(30)),
    });
    const check = this.stateStep('Check', props.check);
    const collect = this.stateStep('Collect', props.collect);
    const finalize = this.step('Finalize', props.finalize, {
      payload: TaskInput.fromJsonPathAt('$.state'),
      resultSelector: { summary: JsonPath.objectAt('$.Payload') },
    });
    for (const task of [dispatch, check, collect, finalize]) {
      task.addCatch(recordFailure, { errors: [Errors.ALL], resultPath: '$.error' });
    }

    const definition = startRun
      .next(dispatch)
      .next(wait)
      .next(check)
      .next(
        new Choice(this, 'Ready?')
          .when(
            Condition.booleanEquals('$.state.ready', true),
            collect.next(
              new Choice(this, 'Collected?')
                .when(
                  Condition.booleanEquals('$.state.collected', true),
                  finalize.next(new Succeed(this, 'ScanComplete')),
                )
                .otherwise(collect),
            ),
          )
          .otherwise(wait),
      );

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment: 'fleet-compliance scan: dispatch the probe, wait, collect verdicts, finalize the run',
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: props.scanDeadline.plus(props.collectAllowance ?? Duration.hours(2)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });

    const role = this.stateMachine.role;
    acknowledgeFindings(
      role,
      [UNSCOPED_RESOURCE_FINDING],
      'Added by Step Functions itself for the execution log and X-Ray tracing: the CloudWatch Logs ' +
        'vended-delivery actions (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ' +
        'ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and ' +
        'xray:PutTraceSegments/PutTelemetryRecords/GetSamplingRules/GetSamplingTargets accept only Resource "*".',
    );
    const steps = [props.dispatch, props.check, props.collect, props.finalize, props.fail];
    acknowledgeFindings(
      role,
      steps.map((fn) => wildcardResourceFinding(role, `${fn.functionArn}:*`)),
      "lambda:InvokeFunction on versions and aliases (`<arn>:*`) of the stack's own five scan functions, " +
        'which the LambdaInvoke task grants next to the unqualified ARN. No other function is reachable.',
    );
  }

  /** A step that takes `$.state` and replaces it with the Lambda's result. */
  private stateStep(id: string, fn: IFunction): LambdaInvoke {
    return this.step(id, fn, {
      payload: TaskInput.fromJsonPathAt('$.state'),
      resultSelector: { state: JsonPath.objectAt('$.Payload') },
    });
  }

  private step(
    id: string,
    fn: IFunction,
    io: { payload: TaskInput; resultSelector?: Record<string, unknown>; resultPath?: string },
  ): LambdaInvoke {
    const task = new LambdaInvoke(this, id, {
      lambdaFunction: fn,
      payload: io.payload,
      ...(io.resultSelector === undefined ? {} : { resultSelector: io.resultSelector }),
      ...(io.resultPath === undefined ? {} : { resultPath: io.resultPath }),
      // Retries Lambda service errors (ServiceException, AWSLambdaException, SdkClientException).
      retryOnServiceExceptions: true,
    });
    task.addRetry({
      errors: LAMBDA_THROTTLE_ERRORS,
      interval: Duration.seconds(5),
      maxAttempts: 6,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    task.addRetry({
      errors: [...RETRYABLE_APPLICATION_ERRORS],
      interval: Duration.seconds(10),
      maxAttempts: 4,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    return task;
  }
}
