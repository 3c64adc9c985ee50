import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackConfig } from '../lib/config/stack-config.ts';
import { FleetComplianceStack } from '../lib/fleet-compliance-stack.ts';

// The CDK app: settings come from context (cdk.json defaults, `-c key=value` overrides) and are
// validated before any construct exists. The account and Region are the CLI's (no lookups), so
// synth works offline and without credentials.
export const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT || undefined;
const region = process.env.CDK_DEFAULT_REGION || undefined;
new FleetComplianceStack(app, 'FleetCompliance', {
  description:
    'fleet-compliance: scheduled SSM scan of Linux nodes for known-bad systemd/runtime/kernel versions',
  config: readStackConfig((key) => app.node.tryGetContext(key)),
  env: { account, region },
});
// cdk-nag AwsSolutions: any unacknowledged finding fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
