import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readStackConfig } from '../../lib/config/stack-config.ts';
import { FleetComplianceStack } from '../../lib/fleet-compliance-stack.ts';

/**
 * Reads a synthesized template as a security reviewer would: every statement of every identity
 * policy (attached policies, managed policies, role inline policies) with the role it belongs to,
 * and every resource-based policy (bucket, topic, key, Lambda permissions).
 */

export type CfnTemplate = { readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }> };

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface IdentityStatement {
  /** Logical id of the role the statement is granted to. */
  readonly role: string;
  readonly statement: PolicyStatement;
}

/** Builds the stack as bin/app.ts does, from a context map, with bundling skipped (template identical but asset hashes). */
export function synthesize(context: Record<string, unknown> = {}): CfnTemplate {
  // CDK's built-in CloudFormation schema validation (seconds per synth) is test/lib's business.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context }, builtinCloudFormationValidation: false });
  const stack = new FleetComplianceStack(app, 'FleetCompliance', {
    config: readStackConfig((key) => app.node.tryGetContext(key)),
  });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function logicalIdOf(ref: unknown): string | undefined {
  if (ref && typeof ref === 'object' && 'Ref' in ref) return String((ref as { Ref: unknown }).Ref);
  return undefined;
}

export function identityStatements(template: CfnTemplate): IdentityStatement[] {
  const out: IdentityStatement[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const p = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      const roles = asArray(p.Roles as unknown[]).map(logicalIdOf).filter((r): r is string => r !== undefined);
      const statements = asArray((p.PolicyDocument as { Statement: PolicyStatement[] }).Statement);
      for (const role of roles.length > 0 ? roles : [id]) for (const statement of statements) out.push({ role, statement });
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asArray(p.Policies as { PolicyDocument: { Statement: PolicyStatement[] } }[])) {
        for (const statement of asArray(policy.PolicyDocument.Statement)) out.push({ role: id, statement });
      }
    }
  }
  return out;
}

export interface ResourceStatement {
  readonly resource: string;
  readonly type: string;
  readonly statement: PolicyStatement;
}

export function resourceStatements(template: CfnTemplate): ResourceStatement[] {
  const out: ResourceStatement[] = [];
  const documents: Record<string, string> = {
    'AWS::S3::BucketPolicy': 'PolicyDocument',
    'AWS::SNS::TopicPolicy': 'PolicyDocument',
    'AWS::SQS::QueuePolicy': 'PolicyDocument',
    'AWS::KMS::Key': 'KeyPolicy',
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const key = documents[resource.Type];
    if (key === undefined) continue;
    const document = resource.Properties?.[key] as { Statement: PolicyStatement[] } | undefined;
    for (const statement of asArray(document?.Statement)) out.push({ resource: id, type: resource.Type, statement });
  }
  return out;
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** Logical ids a value refers to (Ref, Fn::GetAtt), anywhere inside it. */
export function referencedIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k === 'Ref' && typeof inner === 'string' && !inner.startsWith('AWS::')) ids.add(inner);
        else if (k === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') ids.add(inner[0]);
        else walk(inner);
      }
    }
  };
  walk(value);
  return ids;
}

/**
 * Read-only by the verb of the action (Service Authorization Reference naming): what these
 * actions do is look. kms:Decrypt and kms:DescribeKey read data the role already reads through
 * the service (every KMS grant here is tied to one service by kms:ViaService).
 */
const READ_VERB = /^(Get|List|Describe|BatchGet|Query|Scan|Head|Lookup|Search|Select)/;
const READ_ACTIONS = new Set(['kms:Decrypt', 'kms:DescribeKey']);

export function isReadOnlyAction(action: string): boolean {
  const [, verb = ''] = action.split(':');
  return READ_ACTIONS.has(action) || READ_VERB.test(verb);
}
