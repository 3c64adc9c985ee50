import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTION_SIZES, type FunctionName } from '../../src/shared/function-sizes.ts';
import { ENV } from '../../src/shared/runtime-settings.ts';
import {
  ATTENTION_INDEX_NAME,
  ATTENTION_PARTITION_KEY,
  ATTENTION_SORT_KEY,
  TABLE_TTL_ATTRIBUTE,
} from '../../src/shared/table-schema.ts';
import { asArray, buildStack, functionStatements, policyStatements } from './stack-fixture.ts';

const { template } = buildStack();
const templateText = JSON.stringify(template.toJSON());
const FUNCTION_IDS = [
  'ScanDispatch',
  'ScanCheck',
  'ScanCollect',
  'ScanFinalize',
  'ScanFail',
  'Report',
  'Query',
];

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
function logicalId(type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0]!;
}

describe('SendCommand permission', () => {
  const sendStatements = policyStatements(template).filter(({ statement }) =>
    asArray(statement.Action).includes('ssm:SendCommand'),
  );

  it('is granted to the dispatch Lambda alone', () => {
    expect(new Set(sendStatements.map(({ policy }) => policy.replace(/DefaultPolicy.*$/, '')))).toEqual(
      new Set(['ScanDispatchRole']),
    );
  });

  it('names only the stack probe document, by ARN, without a condition', () => {
    const document = sendStatements.find(
      ({ statement }) => statement.Sid === 'SendOnlyTheProbeDocument',
    )!.statement;
    expect(document.Condition).toBeUndefined();
    expect(document.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ssm:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':document/',
          { Ref: logicalId('AWS::SSM::Document', 'ProbeDocument') },
        ],
      ],
    });
  });

  it('reaches EC2 and hybrid nodes only through the target tag condition', () => {
    const nodes = sendStatements.find(
      ({ statement }) => statement.Sid === 'SendOnlyToTaggedNodes',
    )!.statement;
    expect(nodes.Condition).toEqual({ StringEquals: { 'ssm:resourceTag/fleet-compliance': ['enabled'] } });
    const resources = JSON.stringify(nodes.Resource);
    expect(resources).toContain(':instance/*');
    expect(resources).toContain(':managed-instance/*');
    expect(asArray(nodes.Resource)).toHaveLength(2);
  });

  it('has no SendCommand statement that is neither the document nor tag-conditioned', () => {
    expect(sendStatements.map(({ statement }) => statement.Sid).sort()).toEqual([
      'SendOnlyTheProbeDocument',
      'SendOnlyToTaggedNodes',
    ]);
  });

  it('never mentions AWS-RunShellScript or any AWS-owned document anywhere in the template', () => {
    expect(templateText).not.toMatch(/AWS-RunShellScript/i);
    expect(templateText).not.toMatch(/document\/AWS-/);
  });
});

describe('IAM least privilege', () => {
  const statements = policyStatements(template).map(({ statement }) => statement);

  it('grants no wildcard action in any policy', () => {
    const wildcards = statements.flatMap((s) => asArray(s.Action)).filter((action) => action.includes('*'));
    expect(wildcards).toEqual([]);
  });

  it('uses Resource "*" only for read-only actions and the services that require it', () => {
    const allowedUnscoped = new Set([
      'ssm:ListCommands',
      'ssm:ListCommandInvocations',
      'ssm:GetCommandInvocation',
      'ssm:DescribeMaintenanceWindows',
      'ssm:DescribeMaintenanceWindowSchedule',
      'ssm:DescribeMaintenanceWindowTargets',
      'ssm:GetMaintenanceWindow',
      'tag:GetResources',
      // Step Functions' own execution logging and X-Ray.
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ]);
    const unscoped = statements
      .filter((s) => asArray(s.Resource).includes('*'))
      .flatMap((s) => asArray(s.Action));
    expect(unscoped.filter((action) => !allowedUnscoped.has(action))).toEqual([]);
  });

  it('attaches no AWS managed policy to any role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect((role as { Properties: Record<string, unknown> }).Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('gives the report and query Lambdas read-only table access', () => {
    for (const id of ['Report', 'Query']) {
      const actions = functionStatements(template, id).flatMap((s) => asArray(s.Action));
      expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([
        'dynamodb:DescribeTable',
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:Scan',
      ]);
    }
  });

  it('lets the report Lambda put reports, read back only the latest one, and publish', () => {
    const bucketArn = { 'Fn::GetAtt': [logicalId('AWS::S3::Bucket', 'ReportsBucket'), 'Arn'] };
    const s3 = functionStatements(template, 'Report').filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('s3:')),
    );
    expect(s3.map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([
      { Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [bucketArn, '/reports/*']] } },
      { Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, '/reports/latest/report.json']] } },
      { Action: 's3:ListBucket', Resource: bucketArn },
    ]);
    const sns = functionStatements(template, 'Report').filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('sns:')),
    );
    expect(sns.map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([
      { Action: 'sns:Publish', Resource: { Ref: logicalId('AWS::SNS::Topic', 'ReportTopic') } },
    ]);
  });

  it('ties every KMS permission to the one service that needs it', () => {
    for (const statement of statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('kms:')))) {
      expect(Object.keys(statement.Condition?.StringEquals ?? {})).toEqual(['kms:ViaService']);
    }
  });

  it('reads no SSM parameter when no advisory parameter is configured', () => {
    expect(statements.flatMap((s) => asArray(s.Action))).not.toContain('ssm:GetParameter');
  });
});

describe('fleet table', () => {
  it('is on-demand with pk/sk string keys, PITR, TTL on ttl, deletion protection and the CMK', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_TTL_ATTRIBUTE, Enabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [logicalId('AWS::KMS::Key', 'DataKey'), 'Arn'] },
      },
    });
  });

  it('has the sparse attention index with projection ALL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: ATTENTION_INDEX_NAME,
          KeySchema: [
            { AttributeName: ATTENTION_PARTITION_KEY, KeyType: 'HASH' },
            { AttributeName: ATTENTION_SORT_KEY, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('is retained when the stack is deleted or the table replaced', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('report bucket', () => {
  it('blocks all public access, encrypts with the CMK, versions and expires old reports', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
          }),
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
        ],
      },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
    });
  });

  it('refuses plain-HTTP requests on both buckets', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('keeps both buckets when the stack is deleted', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(2);
    for (const bucket of buckets) expect(bucket).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('takes server access logs by bucket policy, not ACL', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
  });
});

describe('Lambda functions', () => {
  const functions = template.findResources('AWS::Lambda::Function');

  it('are the seven handlers, each on nodejs24.x and arm64 with JSON logs', () => {
    expect(Object.keys(functions)).toHaveLength(FUNCTION_IDS.length);
    for (const id of FUNCTION_IDS) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: Match.objectLike({
          LogFormat: 'JSON',
          LogGroup: { Ref: logicalId('AWS::Logs::LogGroup', `${id}Logs`) },
        }),
        Role: { 'Fn::GetAtt': [logicalId('AWS::IAM::Role', `${id}Role`), 'Arn'] },
      });
    }
  });

  it('give collect 1024 MB and 15 minutes, the others less', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('read probe outputs'),
      MemorySize: 1024,
      Timeout: 900,
    });
  });

  it('have the sizes of src/shared/function-sizes.ts, which the benchmark checks against', () => {
    const sizeOf: Record<string, FunctionName> = {
      ScanDispatch: 'dispatch',
      ScanCheck: 'check',
      ScanCollect: 'collect',
      ScanFinalize: 'finalize',
      ScanFail: 'fail',
      Report: 'report',
      Query: 'query',
    };
    expect(Object.keys(sizeOf).sort()).toEqual([...FUNCTION_IDS].sort());
    for (const [id, size] of Object.entries(sizeOf)) {
      const fn = functions[logicalId('AWS::Lambda::Function', `${id}Function`)] as {
        Properties: { MemorySize: number; Timeout: number };
      };
      expect([id, fn.Properties.MemorySize, fn.Properties.Timeout]).toEqual([
        id,
        FUNCTION_SIZES[size].memoryMb,
        FUNCTION_SIZES[size].timeoutSeconds,
      ]);
    }
  });

  it('all carry the settings the Lambda env module requires', () => {
    for (const fn of Object.values(functions)) {
      const variables = (fn as { Properties: { Environment: { Variables: Record<string, unknown> } } })
        .Properties.Environment.Variables;
      expect(variables).toMatchObject({
        [ENV.targets]: 'tag:fleet-compliance=enabled',
        [ENV.maxConcurrency]: '25%',
        [ENV.maxErrors]: '25%',
        [ENV.deliveryTimeoutSeconds]: '600',
        [ENV.deadlineSeconds]: '1800',
        [ENV.tagKeys]: 'Name,cluster,az',
        [ENV.historyRetentionDays]: '90',
        [ENV.documentName]: { Ref: logicalId('AWS::SSM::Document', 'ProbeDocument') },
        [ENV.tableName]: { Ref: logicalId('AWS::DynamoDB::Table', 'FleetTable') },
      });
    }
  });

  it('log to groups retained for logRetentionDays', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(FUNCTION_IDS.length + 1);
    for (const group of groups) {
      expect(group).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
    }
  });
});

describe('probe document', () => {
  it('is a Command document holding probe/probe.sh verbatim, with no physical name', () => {
    const script = readFileSync(new URL('../../probe/probe.sh', import.meta.url), 'utf8');
    const [document] = Object.values(template.findResources('AWS::SSM::Document')) as Array<{
      Properties: {
        DocumentType: string;
        Name?: string;
        Content: { mainSteps: Array<{ action: string; inputs: { runCommand: string[] } }> };
      };
    }>;
    expect(document!.Properties.DocumentType).toBe('Command');
    expect(document!.Properties.Name).toBeUndefined();
    const step = document!.Properties.Content.mainSteps[0]!;
    expect(step.action).toBe('aws:runShellScript');
    expect(`${step.inputs.runCommand.join('\n')}\n`).toBe(script);
  });
});

describe('schedules', () => {
  it('start the scan state machine every 6 hours by default', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Arn: { Ref: logicalId('AWS::StepFunctions::StateMachine', 'Scan') } }),
    });
  });

  it('invoke the report Lambda daily by default', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 6 * * ? *)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'ReportFunction'), 'Arn'] },
      }),
    });
  });

  it('follow scanSchedule and reportSchedule from context', () => {
    const custom = buildStack({
      scanSchedule: 'cron(0 */4 * * ? *)',
      reportSchedule: 'rate(12 hours)',
    }).template;
    custom.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 */4 * * ? *)' });
    custom.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(12 hours)' });
  });

  it('are assumed only by EventBridge Scheduler on behalf of this account', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });
});

describe('query endpoint', () => {
  it('is a function URL with AuthType AWS_IAM on the query Lambda, exported as QueryUrl', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'QueryFunction'), 'Arn'] },
    });
    template.hasOutput('QueryUrl', {});
  });

  it('has no resource policy opening the function to other principals', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });
});

describe('notifications and alarms', () => {
  it('encrypt the report topic with the CMK and refuse plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId('AWS::KMS::Key', 'DataKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribe no email unless reportEmail is set', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = buildStack({ reportEmail: 'ops@example.com' }).template;
    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('alarm to the topic on failed scans and failed reports', () => {
    const topic = { Ref: logicalId('AWS::SNS::Topic', 'ReportTopic') };
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [topic],
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'failed + timedOut + aborted' })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], MetricName: 'Errors' });
  });

  it('lets CloudWatch use the key to publish alarms to the encrypted topic, and rotates the key', () => {
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            }),
          ]),
        },
      },
    });
  });
});

describe('configuration from context', () => {
  it('derives the SendCommand condition from several target tags (ANDed keys, ORed values)', () => {
    const tagged = buildStack({ targets: 'tag:cluster=prod-a,prod-b;tag:env=prod' }).template;
    const nodes = policyStatements(tagged).find(
      ({ statement }) => statement.Sid === 'SendOnlyToTaggedNodes',
    )!.statement;
    expect(nodes.Condition).toEqual({
      StringEquals: { 'ssm:resourceTag/cluster': ['prod-a', 'prod-b'], 'ssm:resourceTag/env': ['prod'] },
    });
  });

  it('grants SendCommand on exactly the named nodes for ids: targets', () => {
    const ids = buildStack({ targets: 'ids:i-0123456789abcdef0,mi-0123456789abcdef0' }).template;
    const nodes = policyStatements(ids).find(
      ({ statement }) => statement.Sid === 'SendOnlyToTheTargetNodes',
    )!.statement;
    const text = JSON.stringify(nodes.Resource);
    expect(text).toContain(':instance/i-0123456789abcdef0');
    expect(text).toContain(':managed-instance/mi-0123456789abcdef0');
    expect(text).not.toContain('*');
    expect(nodes.Condition).toBeUndefined();
  });

  it('grants GetParameter on the advisory parameter ARN only, to the steps that load the catalog', () => {
    const withParameter = buildStack({ advisoryParameterName: '/fleet/advisories' }).template;
    const readers = policyStatements(withParameter)
      .filter(({ statement }) => asArray(statement.Action).includes('ssm:GetParameter'))
      .map(({ policy, statement }) => {
        expect(JSON.stringify(statement.Resource)).toMatch(/:parameter\/fleet\/advisories"/);
        return policy.replace(/RoleDefaultPolicy.*$/, '');
      });
    expect(readers.sort()).toEqual(['Query', 'Report', 'ScanCollect', 'ScanDispatch']);
  });

  it('sets log retention and report expiry from context', () => {
    const custom = buildStack({ logRetentionDays: '30', reportRetentionDays: 120 }).template;
    for (const group of Object.values(custom.findResources('AWS::Logs::LogGroup'))) {
      expect(group).toMatchObject({ Properties: { RetentionInDays: 30 } });
    }
    custom.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 120 })] },
    });
  });
});
