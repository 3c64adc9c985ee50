import { Aws, Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeFindings, wildcardResourceFinding } from '../nag/nag-findings.ts';

export interface FleetSchedulesProps {
  readonly scanStateMachine: IStateMachine;
  /** EventBridge Scheduler expression (UTC) starting a scan. */
  readonly scanSchedule: string;
  readonly reportFunction: IFunction;
  /** EventBridge Scheduler expression (UTC) running the report. */
  readonly reportSchedule: string;
}

/**
 * EventBridge Scheduler schedules: one starts the scan state machine, one invokes the report
 * Lambda. Scheduler delivers at least once, so a start may arrive twice; that is harmless: each
 * delivery is its own execution, and the second one's dispatch finds the scan lock taken by the
 * first and ends as "SkippedAnotherScanRunning" (no second command is sent). A late start is
 * worthless (the next scan comes soon), so retries stop after an hour; a report may still be
 * useful a few hours late.
 */
export class FleetSchedules extends Construct {
  readonly scan: Schedule;
  readonly report: Schedule;

  constructor(scope: Construct, id: string, props: FleetSchedulesProps) {
    super(scope, id);
    // One role per target, trusted by Scheduler for this account's schedules only (confused deputy).
    const schedulerRole = (roleId: string, description: string): Role =>
      new Role(this, roleId, {
        description,
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      });
    const scanRole = schedulerRole(
      'ScanRole',
      'fleet-compliance: lets the scan schedule start the scan state machine',
    );
    const reportRole = schedulerRole(
      'ReportRole',
      'fleet-compliance: lets the report schedule invoke the report Lambda',
    );

    this.scan = new Schedule(this, 'Scan', {
      description: 'fleet-compliance: start a fleet scan',
      schedule: ScheduleExpression.expression(props.scanSchedule),
      timeWindow: TimeWindow.off(),
      target: new StepFunctionsStartExecution(props.scanStateMachine, {
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        role: scanRole,
        maxEventAge: Duration.hours(1),
        retryAttempts: 10,
      }),
    });
    this.report = new Schedule(this, 'Report', {
      description: 'fleet-compliance: write the compliance report',
      schedule: ScheduleExpression.expression(props.reportSchedule),
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(props.reportFunction, {
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        role: reportRole,
        maxEventAge: Duration.hours(6),
        retryAttempts: 10,
      }),
    });
    acknowledgeFindings(
      reportRole,
      [wildcardResourceFinding(reportRole, `${props.reportFunction.functionArn}:*`)],
      "lambda:InvokeFunction on versions and aliases (`<arn>:*`) of the stack's own report function, which " +
        "CDK's Scheduler Lambda target grants next to the unqualified ARN. No other function is reachable.",
    );
  }
}
