import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asArray,
  type CfnTemplate,
  identityStatements,
  isReadOnlyAction,
  referencedIds,
  resourceStatements,
  resourcesOfType,
  synthesize,
} from './template-policies.ts';

/**
 * The security model of DESIGN §5, asserted on the synthesized template under several
 * configurations (default tag targets; several tags plus an advisory parameter and an email;
 * explicit node ids). The scanner can run a script as root on every node of a fleet, so what its
 * roles may do is listed here exhaustively: a change that widens it fails these tests and has to
 * update docs/RELIABILITY.md's security model with it. test/lib holds the construct-level checks
 * (PITR, encryption, runtimes, cdk-nag); this file states what the stack may and may never do.
 */

const CONFIGS: Record<string, Record<string, unknown>> = {
  'default tag targets': {},
  'several target tags, an advisory parameter and a report email': {
    targets: 'tag:env=prod,staging;tag:team=core',
    advisoryParameterName: '/fleet-compliance/advisories',
    reportEmail: 'ops@example.com',
  },
  'explicit node ids': { targets: 'ids:i-0123456789abcdef0,mi-0123456789abcdef0' },
};

/** Writes each role may make (log streams of its own log group aside, which every function has). */
const WRITES_BY_ROLE: Readonly<Record<string, readonly string[]>> = {
  ScanDispatchRole: [...tableWrites(), 'ssm:SendCommand'],
  ScanCheckRole: [],
  ScanCollectRole: tableWrites(),
  ScanFinalizeRole: tableWrites(),
  ScanFailRole: tableWrites(),
  ReportRole: ['s3:PutObject', 'sns:Publish', 'kms:GenerateDataKey'],
  QueryRole: [],
  ScanStateMachineRole: ['lambda:InvokeFunction', ...LOG_DELIVERY(), 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  SchedulesScanRole: ['states:StartExecution'],
  SchedulesReportRole: ['lambda:InvokeFunction'],
};
const FUNCTION_LOG_WRITES = ['logs:CreateLogStream', 'logs:PutLogEvents'];

function tableWrites(): string[] {
  return ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'kms:Encrypt', 'kms:GenerateDataKey'];
}

/** Step Functions' vended execution logs: AWS defines no resource type for these, so only "*" works. */
function LOG_DELIVERY(): string[] {
  return ['logs:CreateLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:PutResourcePolicy'];
}
const WRITES_ALLOWED_ON_STAR = new Set([...LOG_DELIVERY(), 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']);

/** What a scanner with root on the fleet must never be able to do, whatever else changes. */
const NEVER = [
  'ssm:StartSession',
  'ssm:ResumeSession',
  'ssm:CreateDocument',
  'ssm:UpdateDocument',
  'ssm:UpdateDocumentDefaultVersion',
  'ssm:DeleteDocument',
  'ssm:CreateAssociation',
  'ssm:StartAutomationExecution',
  'ssm:PutParameter',
  'ssm:SendAutomationSignal',
  'ssm:CancelCommand',
  'ec2:RunInstances',
  'ec2:ModifyInstanceAttribute',
  'ec2:CreateTags',
  'iam:PassRole',
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'sts:AssumeRole',
  'lambda:UpdateFunctionCode',
  'lambda:AddPermission',
  'lambda:CreateFunctionUrlConfig',
  's3:DeleteObject',
  's3:PutBucketPolicy',
  'dynamodb:DeleteTable',
  'kms:PutKeyPolicy',
  'kms:CreateGrant',
  'kms:ScheduleKeyDeletion',
];

function roleOf(logicalId: string): string | undefined {
  return Object.keys(WRITES_BY_ROLE)
    .sort((a, b) => b.length - a.length)
    .find((prefix) => logicalId.startsWith(prefix));
}

/** Whether an IAM action pattern (with * and ?) covers an action. */
function covers(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

describe.each(Object.entries(CONFIGS))('synthesized stack, %s', (_, context) => {
  let template: CfnTemplate;
  let text: string;
  beforeAll(() => {
    template = synthesize(context);
    text = JSON.stringify(template);
  }, 60_000);

  it('lets ssm:SendCommand name only the stack probe document and the targeted nodes', () => {
    const documents = resourcesOfType(template, 'AWS::SSM::Document').map(([id]) => id);
    expect(documents).toHaveLength(1);
    const send = identityStatements(template).filter(
      ({ statement }) => statement.Effect === 'Allow' && asArray(statement.Action).some((a) => covers(a, 'ssm:SendCommand')),
    );
    expect(send.length).toBe(2);
    for (const { role, statement } of send) {
      expect(roleOf(role)).toBe('ScanDispatchRole');
      expect(asArray(statement.Action)).toEqual(['ssm:SendCommand']);
      const resources = asArray(statement.Resource);
      const serialized = JSON.stringify(resources);
      expect(serialized).not.toMatch(/"\*"|document\/\*|AWS-/);
      if (serialized.includes(':document/')) {
        // The document half: the stack's own document, by reference, and nothing else.
        expect(resources).toHaveLength(1);
        expect([...referencedIds(resources)]).toEqual(documents);
      } else if (String(context.targets ?? '').startsWith('ids:')) {
        // The node half for id targets: exactly those nodes.
        expect(serialized).toContain('instance/i-0123456789abcdef0');
        expect(serialized).toContain('managed-instance/mi-0123456789abcdef0');
        expect(resources).toHaveLength(2);
      } else {
        // The node half for tag targets: nodes of this account, only while they carry the target tags.
        expect(serialized).toMatch(/:instance\/\*/);
        const condition = statement.Condition?.StringEquals ?? {};
        const keys = Object.keys(condition).sort();
        const expected = String(context.targets ?? 'tag:fleet-compliance=enabled')
          .split(';')
          .map((part) => `ssm:resourceTag/${/^tag:([^=]+)=/.exec(part)?.[1]}`)
          .sort();
        expect(keys).toEqual(expected);
        expect(Object.keys(statement.Condition ?? {})).toEqual(['StringEquals']);
      }
    }
  });

  it('names no AWS-owned document (AWS-RunShellScript and the like) anywhere', () => {
    expect(text).not.toMatch(/AWS-Run|"AWS-[A-Za-z]+"/);
  });

  it('runs exactly probe/probe.sh, with no document parameter a caller could fill in', () => {
    const [[, properties]] = resourcesOfType(template, 'AWS::SSM::Document') as [[string, { Content: Record<string, unknown>; DocumentType: string }]];
    expect(properties.DocumentType).toBe('Command');
    const content = properties.Content as { parameters?: unknown; mainSteps: { action: string; inputs: { runCommand: string[] } }[] };
    expect(content.parameters).toBeUndefined();
    expect(content.mainSteps).toHaveLength(1);
    expect(content.mainSteps[0]?.action).toBe('aws:runShellScript');
    expect(`${content.mainSteps[0]?.inputs.runCommand.join('\n')}\n`).toBe(readFileSync('probe/probe.sh', 'utf8'));
    // No SSM parameter or Parameter Store reference ({{ name }}, {{ssm:...}}): nothing is filled in
    // at SendCommand time. (docker's own Go templates, {{.Server.Version}}, are not such names.)
    expect(JSON.stringify(content)).not.toMatch(/\{\{\s*([A-Za-z0-9_]+|ssm:|ssm-secure:|resolve:)/);
  });

  it('grants no wildcard action, and no NotAction, NotResource or NotPrincipal, in any policy', () => {
    for (const { role, statement } of identityStatements(template)) {
      for (const action of asArray(statement.Action)) expect(action, `${role} ${statement.Sid}`).not.toMatch(/\*/);
      expect(statement.NotAction, role).toBeUndefined();
      expect(statement.NotResource, role).toBeUndefined();
    }
    for (const { resource, statement } of resourceStatements(template)) {
      expect(statement.NotAction, resource).toBeUndefined();
      expect(statement.NotResource, resource).toBeUndefined();
      expect(statement.NotPrincipal, resource).toBeUndefined();
      // The one wildcard of a resource policy: the key policy's account-root delegation (kms:*),
      // CDK's and AWS's default, which lets IAM policies (the ones above) decide.
      for (const action of asArray(statement.Action)) {
        if (!/\*/.test(action) || statement.Effect === 'Deny') continue;
        expect({ type: statement, action }).toMatchObject({ action: 'kms:*' });
        expect(JSON.stringify(statement.Principal)).toMatch(/:iam::.*AWS::AccountId.*:root/);
      }
    }
  });

  it('allows each role only the writes its step needs, and no role anything on the never-list', () => {
    const unknownRoles = new Set<string>();
    for (const { role, statement } of identityStatements(template)) {
      if (statement.Effect !== 'Allow') continue;
      const name = roleOf(role);
      if (name === undefined) {
        unknownRoles.add(role);
        continue;
      }
      for (const action of asArray(statement.Action)) {
        for (const never of NEVER) expect(covers(action, never), `${name} may ${never}`).toBe(false);
        if (isReadOnlyAction(action) || FUNCTION_LOG_WRITES.includes(action)) continue;
        expect(WRITES_BY_ROLE[name], `${name} may ${action}`).toContain(action);
      }
    }
    expect([...unknownRoles], 'roles this model does not list').toEqual([]);
  });

  it('scopes every write to the stack own resources ("*" only where AWS defines no resource type)', () => {
    const own = new Set(Object.keys(template.Resources));
    for (const { role, statement } of identityStatements(template)) {
      if (statement.Effect !== 'Allow') continue;
      const writes = asArray(statement.Action).filter((a) => !isReadOnlyAction(a));
      if (writes.length === 0) continue;
      const resources = asArray(statement.Resource);
      if (resources.includes('*')) {
        for (const action of writes) expect(WRITES_ALLOWED_ON_STAR.has(action), `${role} ${action} on *`).toBe(true);
        continue;
      }
      if (asArray(statement.Action).includes('ssm:SendCommand')) continue; // checked above, node by node
      for (const resource of resources) {
        const ids = referencedIds(resource);
        expect(ids.size, `${role} ${writes.join(',')} on ${JSON.stringify(resource)}`).toBeGreaterThan(0);
        for (const id of ids) expect(own.has(id), `${role} writes ${id}`).toBe(true);
      }
      for (const action of writes.filter((a) => a.startsWith('kms:'))) {
        expect(JSON.stringify(statement.Condition), `${role} ${action} without kms:ViaService`).toContain('kms:ViaService');
      }
    }
  });

  it('lets only AWS services assume its roles, the scheduler and state machine for this account only', () => {
    for (const [id, properties] of resourcesOfType(template, 'AWS::IAM::Role')) {
      const trust = (properties.AssumeRolePolicyDocument as { Statement: { Principal: Record<string, unknown>; Condition?: unknown; Action: string }[] }).Statement;
      for (const statement of trust) {
        expect(Object.keys(statement.Principal), id).toEqual(['Service']);
        const service = String(statement.Principal.Service);
        expect(['lambda.amazonaws.com', 'states.amazonaws.com', 'scheduler.amazonaws.com'], id).toContain(service);
        if (service !== 'lambda.amazonaws.com') expect(JSON.stringify(statement.Condition), `${id} confused deputy`).toMatch(/aws:Source(Account|Arn)/);
      }
    }
  });

  it('opens nothing to anonymous principals: resource policies only deny plain HTTP or name a service with a source condition', () => {
    for (const { resource, type, statement } of resourceStatements(template)) {
      const principal = JSON.stringify(statement.Principal ?? '');
      if (statement.Effect === 'Deny') continue;
      expect(principal, `${type} ${resource}`).not.toMatch(/^"\*"$|"AWS":"\*"/);
      if (type !== 'AWS::KMS::Key' && principal.includes('Service')) {
        expect(JSON.stringify(statement.Condition), `${resource} service grant without a source condition`).toMatch(/aws:Source(Account|Arn)/);
      }
    }
    for (const [id, properties] of resourcesOfType(template, 'AWS::Lambda::Permission')) {
      expect(properties.Principal, id).not.toBe('*');
      expect(properties.FunctionUrlAuthType, id).not.toBe('NONE');
    }
  });

  it('puts the query endpoint behind IAM: every function URL is AWS_IAM (AWS refuses unsigned requests)', () => {
    const urls = resourcesOfType(template, 'AWS::Lambda::Url');
    expect(urls).toHaveLength(1);
    for (const [id, properties] of urls) {
      expect(properties.AuthType, id).toBe('AWS_IAM');
      expect(JSON.stringify(properties.Cors ?? {}), id).not.toMatch(/AllowCredentials":true/);
    }
  });

  it('holds no account id or secret literally: the account comes from AWS::AccountId', () => {
    expect(text).not.toMatch(/(?<![0-9A-Za-z])[0-9]{12}(?![0-9A-Za-z])/);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|PRIVATE KEY/);
  });
});
