import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTION_SIZES, type FunctionName } from '../src/shared/function-sizes.ts';
import { ENV, METRICS_NAMESPACE } from '../src/shared/runtime-settings.ts';
import type { StackConfig } from './config/stack-config.ts';
import { DataKey } from './constructs/data-key.ts';
import { FleetSchedules } from './constructs/fleet-schedules.ts';
import { FleetTable } from './constructs/fleet-table.ts';
import { NodeFunction } from './constructs/node-function.ts';
import { ProbeDocument } from './constructs/probe-document.ts';
import { QueryEndpoint } from './constructs/query-endpoint.ts';
import { ReportBucket } from './constructs/report-bucket.ts';
import { ReportTopic } from './constructs/report-topic.ts';
import { ScanAlarms } from './constructs/scan-alarms.ts';
import { ScanStateMachine } from './constructs/scan-state-machine.ts';
import {
  advisoryParameterStatements,
  grantReportWrite,
  tableReadStatements,
  tableReadWriteStatements,
  topicPublishStatements,
} from './policies/data-access-statements.ts';
import {
  COMMAND_OUTPUT_ACTIONS,
  COMMAND_STATUS_ACTIONS,
  grantUnscopedRead,
  MAINTENANCE_WINDOW_READ_ACTIONS,
  TAG_LOOKUP_ACTIONS,
} from './policies/fleet-read-statements.ts';
import { grantSendProbe } from './policies/send-probe-statements.ts';

/** Feature flags the stack's resources depend on, set here so tests and `cdk synth` agree. */
const FEATURE_FLAGS = {
  // Server access log delivery by bucket policy (ACLs stay disabled on the log bucket).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const projectPath = (relative: string): string => `${PROJECT_ROOT}${relative}`;

export interface FleetComplianceStackProps extends StackProps {
  /** Validated settings (bin/app.ts reads them from CDK context with readStackConfig). */
  readonly config: StackConfig;
  /**
   * The probe script deployed as the SSM document.
   * @default probe/probe.sh of this project
   */
  readonly probeScriptPath?: string;
}

/**
 * fleet-compliance: a scheduled, serverless scan of a fleet's Linux nodes through SSM Run Command.
 * This file only wires the constructs in lib/constructs and grants each Lambda what its step
 * needs; the permissions themselves are written out in lib/policies.
 */
export class FleetComplianceStack extends Stack {
  constructor(scope: Construct, id: string, props: FleetComplianceStackProps) {
    super(scope, id, props);
    for (const [flag, value] of Object.entries(FEATURE_FLAGS)) this.node.setContext(flag, value);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    const dataKey = new DataKey(this, 'DataKey').key;
    const probe = new ProbeDocument(this, 'ProbeDocument', {
      scriptPath: props.probeScriptPath ?? projectPath('probe/probe.sh'),
    });
    const fleetTable = new FleetTable(this, 'FleetTable', { encryptionKey: dataKey });
    const reports = new ReportBucket(this, 'Reports', {
      encryptionKey: dataKey,
      reportRetentionDays: config.reportRetentionDays,
    });
    const topic = new ReportTopic(this, 'ReportTopic', {
      masterKey: dataKey,
      ...(config.reportEmail === undefined ? {} : { email: config.reportEmail }),
    }).topic;

    const parameterArn =
      config.advisoryParameterName === undefined
        ? undefined
        : this.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: config.advisoryParameterName.replace(/^\//, ''),
          });
    // Every function gets the same settings: lambdas/shared/env.ts reads them all in each handler.
    const environment: Record<string, string> = {
      [ENV.tableName]: fleetTable.table.tableName,
      [ENV.documentName]: probe.documentName,
      [ENV.targets]: config.targetsText,
      [ENV.maxConcurrency]: config.maxConcurrency,
      [ENV.maxErrors]: config.maxErrors,
      [ENV.deliveryTimeoutSeconds]: String(config.deliveryTimeoutSeconds),
      [ENV.deadlineSeconds]: String(config.scanDeadlineSeconds),
      [ENV.tagKeys]: config.tagKeys.join(','),
      [ENV.historyRetentionDays]: String(config.historyRetentionDays),
      [ENV.reportBucket]: reports.bucket.bucketName,
      [ENV.reportTopicArn]: topic.topicArn,
      [ENV.metricsNamespace]: METRICS_NAMESPACE,
      ...(config.advisoryParameterName === undefined
        ? {}
        : { [ENV.advisoryParameter]: config.advisoryParameterName }),
    };
    // Only the steps that evaluate advisories load the user catalog (dispatch checks it early).
    const readsCatalog = parameterArn === undefined ? [] : advisoryParameterStatements(parameterArn);
    const fn = (
      id: string,
      handler: string,
      size: FunctionName,
      description: string,
      more: Partial<FunctionSizing> = {},
    ) =>
      new NodeFunction(this, id, {
        entry: projectPath(`lambdas/${handler}/handler.ts`),
        description: `fleet-compliance: ${description}`,
        environment,
        logRetention,
        memorySize: FUNCTION_SIZES[size].memoryMb,
        timeout: Duration.seconds(FUNCTION_SIZES[size].timeoutSeconds),
        ...more,
      });

    const dispatch = fn('ScanDispatch', 'scan-dispatch', 'dispatch', 'take the scan lock and send the probe', {
      statements: [...readsCatalog, ...tableReadWriteStatements(fleetTable.ref)],
    });
    grantSendProbe(dispatch.role, this, probe.documentArn, config.targets);
    grantUnscopedRead(dispatch.role, 'FindSentCommandsAndTargets', [
      ...COMMAND_STATUS_ACTIONS,
      ...TAG_LOOKUP_ACTIONS,
    ]);

    // Check only asks SSM for command status: no table access (the lock is leased by dispatch and collect).
    const check = fn('ScanCheck', 'scan-check', 'check', 'look at the probe commands once');
    grantUnscopedRead(check.role, 'ReadCommandStatus', COMMAND_STATUS_ACTIONS);

    const collect = fn('ScanCollect', 'scan-collect', 'collect', 'read probe outputs, judge nodes, store verdicts', {
      statements: [...readsCatalog, ...tableReadWriteStatements(fleetTable.ref)],
    });
    grantUnscopedRead(collect.role, 'ReadCommandOutput', COMMAND_OUTPUT_ACTIONS);

    const finalize = fn('ScanFinalize', 'scan-finalize', 'finalize', 'record coverage and close the run', {
      statements: tableReadWriteStatements(fleetTable.ref),
    });
    const fail = fn('ScanFail', 'scan-fail', 'fail', 'record a failed run and release the lock', {
      statements: tableReadWriteStatements(fleetTable.ref),
    });

    // The report holds every node's history and the rendered files in memory (FUNCTION_SIZES).
    const report = fn('Report', 'report', 'report', 'write the compliance report and its summary', {
      statements: [
        ...readsCatalog,
        ...tableReadStatements(fleetTable.ref),
        ...topicPublishStatements(topic.topicArn, dataKey.keyArn),
      ],
    });
    grantReportWrite(report.role, reports.bucket.bucketArn, dataKey.keyArn);

    const query = fn('Query', 'query', 'query', 'answer at-risk queries', {
      statements: [...readsCatalog, ...tableReadStatements(fleetTable.ref)],
    });
    grantUnscopedRead(query.role, 'ReadTagsAndMaintenanceWindows', [
      ...TAG_LOOKUP_ACTIONS,
      ...MAINTENANCE_WINDOW_READ_ACTIONS,
    ]);

    const scan = new ScanStateMachine(this, 'Scan', {
      dispatch: dispatch.function,
      check: check.function,
      collect: collect.function,
      finalize: finalize.function,
      fail: fail.function,
      scanDeadline: Duration.seconds(config.scanDeadlineSeconds),
      logRetention,
    });
    new FleetSchedules(this, 'Schedules', {
      scanStateMachine: scan.stateMachine,
      scanSchedule: config.scanSchedule.expression,
      reportFunction: report.function,
      reportSchedule: config.reportSchedule.expression,
    });
    const endpoint = new QueryEndpoint(this, 'QueryEndpoint', { queryFunction: query.function });
    new ScanAlarms(this, 'Alarms', {
      scanStateMachine: scan.stateMachine,
      reportFunction: report.function,
      topic,
    });

    // Outputs name every resource a user reads, and every retained one (teardown needs them).
    const outputs: Record<string, { value: string; description: string }> = {
      QueryUrl: {
        value: endpoint.url.url,
        description: 'At-risk query endpoint (AWS_IAM: SigV4, service "lambda")',
      },
      QueryFunctionArn: {
        value: query.function.functionArn,
        description: 'Grant callers lambda:InvokeFunctionUrl and lambda:InvokeFunction on this ARN',
      },
      ScanStateMachineArn: {
        value: scan.stateMachine.stateMachineArn,
        description: 'Start a scan by hand: aws stepfunctions start-execution',
      },
      ProbeDocumentName: {
        value: probe.documentName,
        description: 'The SSM Command document the scan sends',
      },
      ReportTopicArn: { value: topic.topicArn, description: 'Report summaries and alarms' },
      FleetTableName: {
        value: fleetTable.table.tableName,
        description: 'Retained on stack deletion (deletion protection on)',
      },
      ReportBucketName: { value: reports.bucket.bucketName, description: 'Retained on stack deletion' },
      AccessLogBucketName: {
        value: reports.accessLogs.bucketName,
        description: 'Retained on stack deletion',
      },
      DataKeyArn: { value: dataKey.keyArn, description: 'Retained on stack deletion; delete last' },
    };
    for (const [outputId, output] of Object.entries(outputs)) new CfnOutput(this, outputId, output);
  }
}

/** What differs between the stack's functions besides handler and description. */
interface FunctionSizing {
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly statements: readonly PolicyStatement[];
}
