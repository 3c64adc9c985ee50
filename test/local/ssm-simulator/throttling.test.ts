import {
  DescribeInstanceInformationCommand,
  paginateDescribeInstanceInformation,
  paginateListCommandInvocations,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { createThrottler } from '../../../src/local/ssm-simulator/fault-plan.ts';
import { type Harness, startHarness } from './simulator-harness.ts';

describe('throttling bursts', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('are absorbed by the SDK adaptive retry, and every throttled call is counted', async () => {
    h = await startHarness({
      nodes: 200,
      faultPlan: { seed: 1, throttle: { probability: 0.2, burst: 2 } },
      client: { retryMode: 'adaptive', maxAttempts: 10 },
    });
    const sent = await h.ssm.send(
      new SendCommandCommand({
        DocumentName: 'FleetComplianceProbe',
        Targets: [{ Key: 'tag-key', Values: ['cluster'] }],
      }),
    );
    h.clock.advance(3_600_000);
    let described = 0;
    for await (const page of paginateDescribeInstanceInformation({ client: h.ssm, pageSize: 50 }, {})) {
      described += page.InstanceInformationList?.length ?? 0;
    }
    const seen = new Set<string>();
    let pages = 0;
    for await (const page of paginateListCommandInvocations(
      { client: h.ssm, pageSize: 50 },
      { CommandId: sent.Command?.CommandId, Details: true },
    )) {
      pages += 1;
      for (const invocation of page.CommandInvocations ?? []) seen.add(invocation.InstanceId as string);
    }
    expect(seen.size).toBe(200);
    expect(described).toBe(200);
    const stats = h.simulator.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    const lci = stats.byOperation.ListCommandInvocations;
    const dii = stats.byOperation.DescribeInstanceInformation;
    expect(lci?.calls).toBe(pages + (lci?.throttled ?? 0));
    expect(dii?.calls).toBe(4 + (dii?.throttled ?? 0));
    expect(stats.calls).toBe(Object.values(stats.byOperation).reduce((sum, op) => sum + op.calls, 0));
  });

  it('surface as ThrottlingException when the client does not retry', async () => {
    h = await startHarness({
      nodes: 10,
      faultPlan: { throttle: { probability: 1, burst: 1 } },
      client: { maxAttempts: 1 },
    });
    await expect(h.ssm.send(new DescribeInstanceInformationCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('hit only the operations a plan names', () => {
    const throttler = createThrottler({ throttle: { GetResources: { probability: 1, burst: 3 } } });
    expect(throttler.shouldThrottle('ListCommandInvocations')).toBe(false);
    expect(throttler.shouldThrottle('GetResources')).toBe(true);
  });

  it('come in bursts of the planned length', () => {
    const throttler = createThrottler({ seed: 9, throttle: { probability: 0.05, burst: 4 } });
    const calls = Array.from({ length: 2000 }, () => throttler.shouldThrottle('ListCommands'));
    const runs: number[] = [];
    let run = 0;
    for (const throttled of calls) {
      if (throttled) run += 1;
      else if (run > 0) {
        runs.push(run);
        run = 0;
      }
    }
    expect(runs.length).toBeGreaterThan(10);
    expect(runs.every((r) => r % 4 === 0)).toBe(true);
  });
});
