import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 matches an acknowledgement by the exact finding id, and IAM5's ids spell the resource
 * out with CloudFormation references flattened (`<Logical.Arn>`, `<AWS::Region>`). These helpers
 * build that id from the same token the policy holds, so an acknowledgement names one resource and
 * follows it when a logical id or the Region changes, instead of silencing IAM5 wholesale.
 */

/** `AwsSolutions-IAM5[Resource::...]` for a resource ARN (a literal or a CDK token string). */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** `AwsSolutions-IAM5[Resource::*]`: actions AWS defines no resource type for. */
export const UNSCOPED_RESOURCE_FINDING = 'AwsSolutions-IAM5[Resource::*]';

/** Acknowledges each finding id on `scope` (and everything below it) with the one written reason. */
export function acknowledgeFindings(scope: IConstruct, findingIds: readonly string[], reason: string): void {
  Validations.of(scope).acknowledge(...findingIds.map((id) => ({ id, reason })));
}

/** The flattening cdk-nag applies (its utils/flatten-cfn-reference.ts): Fn::Join, Fn::GetAtt, Fn::Sub, Ref. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (Array.isArray(record['Fn::GetAtt'])) {
      const [resource, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Fn::Sub' in record) return flatten(record['Fn::Sub']);
    if ('Ref' in record) return `<${flatten(record.Ref)}>`;
  }
  return JSON.stringify(node);
}
