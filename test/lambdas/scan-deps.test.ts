import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import builtin from '../../advisories/catalog.json' with { type: 'json' };
import { readEnv } from '../../lambdas/shared/env.ts';
import {
  COLLECT_SAFETY_MARGIN_MS,
  collectBudgetFor,
  createScanRuntime,
  lazyScanRuntime,
} from '../../lambdas/shared/scan-deps.ts';
import { AdvisoryParameterNotFoundError } from '../../src/adapters/ssm/advisory-parameter-not-found-error.ts';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { type SimulatedFleet, startSimulatedFleet } from '../adapters/ssm/simulated-fleet.ts';
import { type ParameterStoreProxy, startParameterStoreProxy } from './parameter-store-proxy.ts';

describe('collectBudgetFor', () => {
  it.each([
    [900_000, 900_000 - COLLECT_SAFETY_MARGIN_MS],
    [120_000, 90_000],
    [60_000, 45_000],
    [200, 150],
    [0, 1],
  ])('leaves a margin of %d ms remaining: %d ms budget', (remaining, budget) => {
    expect(collectBudgetFor({ getRemainingTimeInMillis: () => remaining })).toBe(budget);
  });

  it('is unbounded outside Lambda', () => {
    expect(collectBudgetFor(undefined)).toBeUndefined();
    expect(collectBudgetFor({})).toBeUndefined();
  });
});

describe('ScanRuntime catalog', () => {
  const USER_ID = 'USER-TEST-ADVISORY';
  const userCatalog = { schemaVersion: 1, advisories: [{ ...builtin.advisories[0], id: USER_ID }] };
  let sim: SimulatedFleet;
  let proxy: ParameterStoreProxy;
  const envWith = (advisoryParameter?: string) =>
    readEnv({
      FLEET_TABLE_NAME: 'unused',
      FLEET_PROBE_DOCUMENT: 'Probe',
      FLEET_LOCAL_SSM_ENDPOINT: proxy.endpoint,
      FLEET_LOCAL_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      ...(advisoryParameter === undefined ? {} : { FLEET_ADVISORY_PARAMETER: advisoryParameter }),
    });

  beforeAll(async () => {
    sim = await startSimulatedFleet({ nodes: 5 });
    proxy = await startParameterStoreProxy(
      sim.simulator.endpoint,
      new Map([['/fleet/advisories', JSON.stringify(userCatalog)]]),
    );
  });
  afterAll(async () => {
    await proxy.stop();
    await sim.stop();
  });

  it('merges the advisory parameter over the built-in catalog, read once per container', async () => {
    const runtime = createScanRuntime(envWith('/fleet/advisories'));
    try {
      const before = proxy.getParameterCalls();
      const first = await runtime.deps(undefined, 'merged');
      const second = await runtime.deps({ getRemainingTimeInMillis: () => 900_000 }, 'merged');
      expect(first.catalog.advisories.map((a) => a.id)).toContain(USER_ID);
      expect(first.catalog.advisories.length).toBe(builtin.advisories.length + 1);
      expect(second.catalog).toBe(first.catalog);
      expect(second.collectBudgetMs).toBe(900_000 - COLLECT_SAFETY_MARGIN_MS);
      expect(first.collectBudgetMs).toBeUndefined();
      expect(proxy.getParameterCalls() - before).toBe(1);
      // Steps that do not judge never read the parameter.
      expect((await runtime.deps(undefined, 'builtin')).catalog).toBe(builtinCatalog());
    } finally {
      runtime.destroy();
    }
  });

  it('fails on a missing parameter, and tries again on the next invocation', async () => {
    const runtime = createScanRuntime(envWith('/fleet/missing'));
    try {
      const before = proxy.getParameterCalls();
      await expect(runtime.deps(undefined, 'merged')).rejects.toBeInstanceOf(AdvisoryParameterNotFoundError);
      await expect(runtime.deps(undefined, 'merged')).rejects.toBeInstanceOf(AdvisoryParameterNotFoundError);
      expect(proxy.getParameterCalls() - before).toBe(2);
      await expect(runtime.deps(undefined, 'builtin')).resolves.toMatchObject({ catalog: builtinCatalog() });
    } finally {
      runtime.destroy();
    }
  });

  it('uses the built-in catalog when no parameter is configured', async () => {
    const runtime = createScanRuntime(envWith());
    try {
      expect((await runtime.deps(undefined, 'merged')).catalog).toBe(builtinCatalog());
    } finally {
      runtime.destroy();
    }
  });

  it('reads the environment on first use only, and fails each invocation while it is broken', async () => {
    const runtime = lazyScanRuntime({ FLEET_PROBE_DOCUMENT: 'Probe' });
    await expect(runtime.deps()).rejects.toThrow(/FLEET_TABLE_NAME is not set/);
    await expect(runtime.deps()).rejects.toThrow(/FLEET_TABLE_NAME is not set/);
    runtime.destroy();
  });
});
