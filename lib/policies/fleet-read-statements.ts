import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { acknowledgeFindings, UNSCOPED_RESOURCE_FINDING } from '../nag/nag-findings.ts';

/**
 * Read-only SSM and tagging calls that IAM cannot scope to a resource: AWS defines no resource
 * type for them (Service Authorization Reference), so `*` is the only Resource they accept. None of
 * them changes anything.
 */

/** Command status: ListCommands (check; dispatch's guard against sending a run's command twice). */
export const COMMAND_STATUS_ACTIONS = ['ssm:ListCommands'] as const;
/** Command output, 50 nodes a page, and one node's whole output when the listing cut it. */
export const COMMAND_OUTPUT_ACTIONS = ['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'] as const;
/** Which nodes the tag targets select (EC2 instances and managed nodes, with their tags). */
export const TAG_LOOKUP_ACTIONS = ['tag:GetResources'] as const;
/**
 * Maintenance windows, for "at risk before the next window" (src/adapters/ssm/maintenance-windows.ts
 * calls exactly these; a test checks every SDK call the adapters make is granted somewhere).
 */
export const MAINTENANCE_WINDOW_READ_ACTIONS = [
  'ssm:DescribeMaintenanceWindows',
  'ssm:DescribeMaintenanceWindowSchedule',
  'ssm:DescribeMaintenanceWindowTargets',
  'ssm:GetMaintenanceWindow',
] as const;

export function unscopedReadStatement(sid: string, actions: readonly string[]): PolicyStatement {
  return new PolicyStatement({ sid, actions: [...actions], resources: ['*'] });
}

/**
 * Adds one `Resource: *` statement of read-only actions to `role` and acknowledges cdk-nag IAM5 for
 * it, naming the actions in the reason. One such statement per role.
 */
export function grantUnscopedRead(role: Role, sid: string, actions: readonly string[]): void {
  role.addToPrincipalPolicy(unscopedReadStatement(sid, actions));
  acknowledgeFindings(
    role,
    [UNSCOPED_RESOURCE_FINDING],
    `${actions.join(', ')}: read-only actions for which AWS defines no resource type, so IAM accepts ` +
      'only Resource "*" for them. Nothing else in this role uses "*" as a resource.',
  );
}
