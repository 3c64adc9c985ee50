import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildStack } from './stack-fixture.ts';

/** Runs the AwsSolutions pack the way `cdk synth` does and lists what it reports, acknowledged findings excluded. */
function unacknowledgedFindings(context: Record<string, unknown>): string[] {
  const { app } = buildStack(context);
  const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it.for([
    { case: 'the defaults', context: {} },
    { case: 'several target tags', context: { targets: 'tag:cluster=a,b;tag:env=prod' } },
    { case: 'id targets', context: { targets: 'ids:i-0123456789abcdef0,mi-0123456789abcdef0' } },
    {
      case: 'every optional setting',
      context: { reportEmail: 'ops@example.com', advisoryParameterName: '/fleet/advisories' },
    },
  ])('reports nothing unacknowledged with $case', ({ context }) => {
    expect(unacknowledgedFindings(context)).toEqual([]);
  });

  it('still fails the check when a new wildcard appears (the acknowledgements are per finding)', async () => {
    const { PolicyStatement } = await import('aws-cdk-lib/aws-iam');
    const { app, stack } = buildStack();
    const role = stack.node.findAll().find((c) => c.node.path === 'FleetCompliance/ScanCheck/Role');
    (role as unknown as { addToPrincipalPolicy(s: unknown): void }).addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:*:*:table/*'] }),
    );
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:aws:dynamodb:*:*:table/*]',
    ]);
  });
});
