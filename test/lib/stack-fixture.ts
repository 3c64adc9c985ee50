import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readStackConfig } from '../../lib/config/stack-config.ts';
import { FleetComplianceStack } from '../../lib/fleet-compliance-stack.ts';

/**
 * Builds the stack the way bin/app.ts does, from a context map, with esbuild bundling skipped
 * (`aws:cdk:bundling-stacks: []`): the template is identical apart from asset hashes, and a build
 * takes a fraction of a second instead of seconds per function. CDK's built-in CloudFormation
 * schema validation (a WASM engine, seconds per synth) is off unless asked for; one test runs it.
 */
export function buildStack(
  context: Record<string, unknown> = {},
  options: { readonly cloudFormationValidation?: boolean } = {},
): {
  app: App;
  stack: FleetComplianceStack;
  template: Template;
} {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const stack = new FleetComplianceStack(app, 'FleetCompliance', {
    config: readStackConfig((key) => app.node.tryGetContext(key)),
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** Every IAM statement of every AWS::IAM::Policy in the template, with the policy's logical id. */
export function policyStatements(template: Template): Array<{ policy: string; statement: Statement }> {
  const out: Array<{ policy: string; statement: Statement }> = [];
  for (const [policy, resource] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    const document = (resource as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
      .PolicyDocument;
    for (const statement of document.Statement) out.push({ policy, statement });
  }
  return out;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** The policy statements attached to the role of one of the stack's NodeFunctions (by construct id). */
export function functionStatements(template: Template, functionId: string): Statement[] {
  return policyStatements(template)
    .filter(({ policy }) => policy.startsWith(`${functionId}Role`))
    .map(({ statement }) => statement);
}
