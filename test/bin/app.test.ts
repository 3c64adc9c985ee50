import { readFileSync } from 'node:fs';
import type { App, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTEXT_DEFAULTS } from '../../lib/config/stack-config.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};
const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

/**
 * Loads bin/app.ts afresh as the CDK CLI would run it: cdk.json context plus `-c` overrides
 * arrive in CDK_CONTEXT_JSON. Bundling is skipped, and so is CDK's own CloudFormation schema
 * validation (a WASM engine taking seconds; `cdk synth` runs it), which leaves our context
 * handling, the stack and the cdk-nag gate.
 */
async function loadApp(
  overrides: Record<string, unknown> = {},
  cliEnvironment: { account?: string; region?: string } = {},
): Promise<App> {
  vi.resetModules();
  process.env.CDK_CONTEXT_JSON = JSON.stringify({
    ...cdkJson.context,
    'aws:cdk:bundling-stacks': [],
    ...overrides,
  });
  process.env.CDK_VALIDATION = 'false';
  delete process.env.CDK_OUTDIR;
  delete process.env.CDK_DEFAULT_ACCOUNT;
  delete process.env.CDK_DEFAULT_REGION;
  if (cliEnvironment.account) process.env.CDK_DEFAULT_ACCOUNT = cliEnvironment.account;
  if (cliEnvironment.region) process.env.CDK_DEFAULT_REGION = cliEnvironment.region;
  return (await import('../../bin/app.ts')).app;
}

describe('cdk.json', () => {
  it('runs bin/app.ts', () => {
    expect(cdkJson.app).toBe('npx tsx bin/app.ts');
  });

  it('repeats every context default the stack uses, with the same value', () => {
    const documented = Object.fromEntries(
      Object.keys(CONTEXT_DEFAULTS).map((key) => [key, cdkJson.context[key]]),
    );
    expect(documented).toEqual(CONTEXT_DEFAULTS);
  });
});

describe('bin/app.ts', () => {
  it('synthesizes the FleetCompliance stack from cdk.json context through the cdk-nag gate', async () => {
    const app = await loadApp();
    const assembly = app.synth();
    expect(assembly.getStackByName('FleetCompliance').template.Resources).toBeDefined();
  });

  it('takes account and Region from the CLI environment when it has them', async () => {
    const app = await loadApp({}, { account: '111122223333', region: 'eu-west-1' });
    const stack = app.node.findChild('FleetCompliance') as Stack;
    expect([stack.account, stack.region]).toEqual(['111122223333', 'eu-west-1']);
  });

  it('fails synth on a cdk-nag finding nobody acknowledged', async () => {
    const app = await loadApp();
    const role = app.node
      .findChild('FleetCompliance')
      .node.findChild('ScanCheck')
      .node.findChild('Role') as Role;
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::someone-elses-bucket/*'] }),
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(() => app.synth()).toThrow(
        /AwsSolutions-IAM5\[Resource::arn:aws:s3:::someone-elses-bucket\/\*\]/,
      );
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
  });

  it('stops before building anything when a context value is invalid, naming the key', async () => {
    await expect(loadApp({ targets: 'cluster=prod' })).rejects.toThrow(
      'context "targets": "cluster=prod" is not tag:KEY=VALUE[,VALUE...]',
    );
  });
});
