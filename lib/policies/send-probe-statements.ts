import type { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { TargetSpec } from '../config/target-spec.ts';
import { acknowledgeFindings, wildcardResourceFinding } from '../nag/nag-findings.ts';

/**
 * The IAM condition key SSM evaluates against each target node's tags: the one AWS's example uses
 * (Systems Manager User Guide, "Restricting Run Command access based on tags",
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-rc-setting-up-cmdsec.html).
 */
export const SSM_RESOURCE_TAG_CONDITION = 'ssm:resourceTag';

/**
 * ssm:SendCommand as narrow as the scan: SSM authorises a command once for the document and once
 * per target node, so the two halves are separate statements.
 * - the document: only the stack's own probe document, by ARN (never AWS-RunShellScript or any
 *   document that takes a script as a parameter);
 * - the nodes: for tag targets, EC2 instances and hybrid (`mi-`) managed nodes of this account and
 *   Region whose tags match the targets (one condition per tag key, so keys are ANDed and each key's
 *   values ORed, exactly as SSM selects them); for id targets, those node ARNs and no others.
 * A node that loses its tag is out of reach even if someone edits the Lambda's targets setting.
 */
export function sendProbeStatements(
  stack: Stack,
  documentArn: string,
  targets: TargetSpec,
): PolicyStatement[] {
  const documentStatement = new PolicyStatement({
    sid: 'SendOnlyTheProbeDocument',
    actions: ['ssm:SendCommand'],
    resources: [documentArn],
  });
  if (targets.kind === 'instances') {
    return [
      documentStatement,
      new PolicyStatement({
        sid: 'SendOnlyToTheTargetNodes',
        actions: ['ssm:SendCommand'],
        resources: targets.ids.map((id) => nodeArn(stack, id)),
      }),
    ];
  }
  const condition: Record<string, string[]> = {};
  for (const tag of targets.tags) condition[`${SSM_RESOURCE_TAG_CONDITION}/${tag.key}`] = [...tag.values];
  return [
    documentStatement,
    new PolicyStatement({
      sid: 'SendOnlyToTaggedNodes',
      actions: ['ssm:SendCommand'],
      resources: taggedNodeArns(stack),
      conditions: { StringEquals: condition },
    }),
  ];
}

/**
 * Adds the SendCommand statements to `role`. With tag targets the node ARNs end in `/*` (node ids
 * are not known at deploy time): that is acknowledged for cdk-nag IAM5 here, next to the condition
 * that bounds it.
 */
export function grantSendProbe(role: Role, stack: Stack, documentArn: string, targets: TargetSpec): void {
  for (const statement of sendProbeStatements(stack, documentArn, targets))
    role.addToPrincipalPolicy(statement);
  if (targets.kind === 'tags') {
    const keys = targets.tags.map((tag) => `${SSM_RESOURCE_TAG_CONDITION}/${tag.key}`).join(', ');
    acknowledgeFindings(
      role,
      taggedNodeArns(stack).map((arn) => wildcardResourceFinding(role, arn)),
      `ssm:SendCommand on this account's EC2 instances and hybrid managed nodes is bounded by a StringEquals ` +
        `condition on ${keys}: SSM authorises every target node against it, so only nodes carrying the ` +
        'target tags can receive the command. Node ids are not known at deploy time (nodes join by being ' +
        'tagged), so the ARN cannot name them. The document half is a separate statement naming only the ' +
        "stack's own probe document.",
    );
  }
}

function taggedNodeArns(stack: Stack): string[] {
  return [
    stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' }),
    stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
  ];
}

function nodeArn(stack: Stack, id: string): string {
  return id.startsWith('mi-')
    ? stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: id })
    : stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: id });
}
