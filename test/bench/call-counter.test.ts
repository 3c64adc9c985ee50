/**
 * The bench counts AWS calls with SDK middleware, not with the adapters' own counters; the two
 * must agree on logical calls, and the attempt counter must see the throttled retries the
 * adapters only know as a retry count. Real SDK clients against the local simulator and dynalite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CallCounter, totalOf } from '../../src/bench/call-counter.ts';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import {
  type LocalScanEnvironment,
  runScanSteps,
  startLocalScanEnvironment,
} from '../../src/local/local-scan.ts';

let env: LocalScanEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

function attach(e: LocalScanEnvironment): CallCounter {
  const counter = new CallCounter();
  counter.attach('ssm', e.clients.ssm);
  counter.attach('tagging', e.clients.tagging);
  counter.attach('dynamodb', e.clients.dynamo.client);
  return counter;
}

describe('CallCounter', () => {
  it('counts the same calls as the adapters, per service and operation, phase by phase', async () => {
    env = await startLocalScanEnvironment({ nodes: 120, seed: 3, faults: 'none', catalog: builtinCatalog() });
    const counter = attach(env);
    counter.setPhase('scan');
    await runScanSteps(env.deps, { runId: 'counter-test', startedAt: new Date().toISOString() }, 20);
    const calls = env.calls();
    const counted = counter.counts('scan');
    expect(counted.calls.ssm).toEqual(calls.ssm.calls);
    expect(counted.calls.tagging).toEqual(calls.tagging.calls);
    // lib-dynamodb's document client shares the base client's middleware stack.
    expect(counted.calls.dynamodb).toEqual(calls.dynamodb.calls);
    expect(counted.attempts).toEqual(counted.calls);
    expect(counter.counts()).toEqual(counted);
    expect(counter.counts('other').calls).toEqual({});
  });

  it('sees every throttled attempt below the SDK retries, and the logical call once', async () => {
    env = await startLocalScanEnvironment({
      nodes: 120,
      seed: 3,
      faults: 'none',
      catalog: builtinCatalog(),
      faultPlan: { seed: 5, throttle: { ListCommandInvocations: { probability: 0.5, burst: 1 } } },
    });
    const counter = attach(env);
    await runScanSteps(env.deps, { runId: 'counter-throttle', startedAt: new Date().toISOString() }, 20);
    const counted = counter.counts();
    const listed = counted.calls.ssm?.ListCommandInvocations ?? 0;
    const attempts = counted.attempts.ssm?.ListCommandInvocations ?? 0;
    expect(listed).toBe(env.calls().ssm.calls.ListCommandInvocations);
    expect(attempts - listed).toBe(env.calls().ssm.retries);
    expect(attempts).toBeGreaterThan(listed);
    expect(counted.attemptErrors.ThrottlingException).toBe(attempts - listed);
    expect(totalOf(counted.attempts)).toBeGreaterThan(totalOf(counted.calls));
  });
});
