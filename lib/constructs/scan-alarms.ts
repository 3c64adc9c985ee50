import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface ScanAlarmsProps {
  readonly scanStateMachine: IStateMachine;
  readonly reportFunction: IFunction;
  /** Where alarms are sent (the report topic, so the same people hear of it). */
  readonly topic: ITopic;
}

/**
 * Two alarms, each $0.10 a month: a scan that ended failed, timed out or was aborted, and a report
 * run that errored. A silent scanner is the failure that matters here: the fleet looks compliant
 * because nothing was measured.
 */
export class ScanAlarms extends Construct {
  readonly scanFailed: Alarm;
  readonly reportFailed: Alarm;

  constructor(scope: Construct, id: string, props: ScanAlarmsProps) {
    super(scope, id);
    const period = Duration.hours(1);
    const sm = props.scanStateMachine;
    this.scanFailed = new Alarm(this, 'ScanFailed', {
      alarmDescription: 'A fleet-compliance scan execution failed, timed out or was aborted.',
      metric: new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: sm.metricFailed({ period, statistic: 'Sum' }),
          timedOut: sm.metricTimedOut({ period, statistic: 'Sum' }),
          aborted: sm.metricAborted({ period, statistic: 'Sum' }),
        },
        period,
        label: 'scans ended without a result',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.reportFailed = new Alarm(this, 'ReportFailed', {
      alarmDescription: 'The fleet-compliance report Lambda returned an error.',
      metric: props.reportFunction.metricErrors({ period: Duration.days(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(props.topic);
    for (const alarm of [this.scanFailed, this.reportFailed]) alarm.addAlarmAction(action);
  }
}
