import { afterEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { ScanAlreadyRunningError } from '../../src/core/store/scan-already-running-error.ts';
import { VERDICT_STATUSES, type VerdictStatus } from '../../src/core/verdict.ts';
import { generateFleet } from '../../src/local/fleet/generate-fleet.ts';
import type { FleetFaultMode } from '../../src/local/fleet/virtual-fleet.ts';
import { type LocalScanEnvironment, runScanSteps, startLocalScanEnvironment } from '../../src/local/local-scan.ts';
import { checkScan } from '../../src/pipeline/check-step.ts';
import { collectScan } from '../../src/pipeline/collect-step.ts';
import { dispatchScan } from '../../src/pipeline/dispatch-step.ts';
import { finalizeScan } from '../../src/pipeline/finalize-step.ts';
import type { ScanDeps } from '../../src/pipeline/scan-deps.ts';
import type { ScanState } from '../../src/pipeline/scan-state.ts';
import { TEST_MIX, TEST_PROFILES } from '../local/fleet/profile-fixtures.ts';

const open: LocalScanEnvironment[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function environment(
  nodes: number,
  faults: FleetFaultMode,
  extra: Partial<Parameters<typeof startLocalScanEnvironment>[0]> = {},
): Promise<LocalScanEnvironment> {
  const fleet = generateFleet({ profiles: TEST_PROFILES, mix: TEST_MIX, nodes, seed: 11, faults });
  const env = await startLocalScanEnvironment({ nodes, seed: 11, faults, fleet, catalog: builtinCatalog(), faultPlan: {}, ...extra });
  open.push(env);
  return env;
}

function input(runId: string) {
  return { runId, startedAt: new Date().toISOString() };
}

function sum(byStatus: Readonly<Record<VerdictStatus, number>>): number {
  return VERDICT_STATUSES.reduce((n, s) => n + byStatus[s], 0);
}

async function readyState(deps: ScanDeps, runId: string): Promise<ScanState> {
  let state = await dispatchScan(deps, input(runId));
  do {
    await new Promise((r) => setTimeout(r, 50));
    state = await checkScan(deps, state);
  } while (!state.ready);
  return state;
}

/** Every targeted node has exactly one state for the run, and the counts agree with the store. */
async function expectOneStatusPerNode(env: LocalScanEnvironment, runId: string, targeted: number): Promise<void> {
  const states = await env.deps.store.listLatestNodeStates(new Date());
  const ofRun = states.filter((s) => s.runId === runId);
  expect(new Set(ofRun.map((s) => s.node)).size).toBe(ofRun.length);
  expect(ofRun.length).toBe(targeted);
  expect(ofRun.length).toBe(env.fleet.nodes.length);
  const run = (await env.deps.store.listRuns({ limit: 5, now: new Date() })).find((r) => r.runId === runId);
  expect(run?.status).toBe('COMPLETE');
  expect(run?.targeted).toBe(targeted);
}

describe('local scan through the real SDK, the SSM simulator and dynalite', () => {
  it('judges every node of a calm fleet exactly once', async () => {
    const env = await environment(400, 'none');
    const { summary } = await runScanSteps(env.deps, input('calm'), 50);
    expect(summary.targeted).toBe(400);
    expect(sum(summary.byStatus)).toBe(400);
    expect(summary.byStatus.UNREACHABLE).toBe(0);
    expect(summary.byStatus.AT_RISK).toBeGreaterThan(0);
    expect(summary.coverage).toMatchObject({ expected: 400, missing: 0 });
    await expectOneStatusPerNode(env, 'calm', 400);
    // The stack's own document, never AWS-RunShellScript.
    expect(env.sentCommands().map((c) => (c.request as { documentName: string }).documentName)).toEqual([
      'FleetComplianceProbe-local',
    ]);
  });

  it('maps every chaos outcome to a status, refetches cut outputs once, and loses no node', async () => {
    const env = await environment(600, 'chaos');
    const { summary } = await runScanSteps(env.deps, input('chaos'), 50);
    expect(sum(summary.byStatus)).toBe(summary.targeted);
    expect(summary.byStatus.UNREACHABLE).toBeGreaterThan(0);
    expect(summary.byStatus.UNKNOWN).toBeGreaterThan(0);
    expect(Object.keys(summary.bySsmStatus).length).toBeGreaterThanOrEqual(4);
    expect(summary.refetched).toBeGreaterThan(0);
    expect(env.calls().ssm.calls.GetCommandInvocation).toBe(summary.refetched);
    // Vanished nodes are selected by the targets; every one of them is still accounted for.
    expect(summary.targeted).toBe(env.fleet.nodes.length);
    await expectOneStatusPerNode(env, 'chaos', summary.targeted);
  });

  it('retries throttled calls without dropping a page', async () => {
    const env = await environment(200, 'none', { faultPlan: { seed: 3, throttle: { probability: 0.05, burst: 2 } } });
    const { summary } = await runScanSteps(env.deps, input('throttled'), 50);
    expect(env.simulatorCalls().throttled).toBeGreaterThan(0);
    expect(summary.targeted).toBe(200);
    await expectOneStatusPerNode(env, 'throttled', 200);
  }, 120_000);

  it('re-running dispatch after a crash sends no second command', async () => {
    const env = await environment(120, 'none');
    const first = await dispatchScan(env.deps, input('redispatch'));
    const again = await dispatchScan(env.deps, { runId: 'redispatch', startedAt: first.startedAt });
    expect(again.commands.map((c) => c.commandId)).toEqual(first.commands.map((c) => c.commandId));
    expect(env.sentCommands()).toHaveLength(1);
  });

  it('refuses an overlapping scan while one holds the lock', async () => {
    const env = await environment(50, 'none');
    await dispatchScan(env.deps, input('first'));
    await expect(dispatchScan(env.deps, input('second'))).rejects.toBeInstanceOf(ScanAlreadyRunningError);
  });

  it('a collect pass that crashes mid-way and is retried counts every node once', async () => {
    const env = await environment(300, 'none');
    let writes = 0;
    let crashed = false;
    const crashing: ScanDeps = {
      ...env.deps,
      store: Object.assign(Object.create(env.deps.store), {
        putNodeStates: async (states: Parameters<ScanDeps['store']['putNodeStates']>[0]) => {
          writes += 1;
          if (writes === 2 && !crashed) {
            crashed = true;
            throw new Error('simulated Lambda crash after writing one batch');
          }
          return env.deps.store.putNodeStates(states);
        },
      }),
    };
    const ready = await readyState(env.deps, 'crash');
    await expect(collectScan(crashing, ready)).rejects.toThrow(/simulated/);
    let state = ready;
    do state = await collectScan(crashing, state);
    while (!state.collected);
    const summary = await finalizeScan(env.deps, state);
    expect(summary.targeted).toBe(300);
    expect(sum(summary.byStatus)).toBe(300);
    await expectOneStatusPerNode(env, 'crash', 300);
  });

  it('hands a cursor over between collect passes like a Lambda running out of time', async () => {
    const env = await environment(300, 'none', { collectBudgetMs: 1 });
    const { summary, collectPasses } = await runScanSteps(env.deps, input('passes'), 50);
    expect(collectPasses).toBeGreaterThan(3);
    expect(summary.targeted).toBe(300);
    await expectOneStatusPerNode(env, 'passes', 300);
  });

  it('finalize re-run gives the same summary', async () => {
    const env = await environment(100, 'chaos');
    let state = await readyState(env.deps, 'refinal');
    do state = await collectScan(env.deps, state);
    while (!state.collected);
    const first = await finalizeScan(env.deps, state);
    const again = await finalizeScan(env.deps, state);
    expect({ ...again, finishedAt: '' }).toEqual({ ...first, finishedAt: '' });
  });

  it('chaos never turns a healthy verdict AT_RISK or an at-risk one COMPLIANT', async () => {
    const calm = await environment(400, 'none');
    await runScanSteps(calm.deps, input('calm-ref'), 50);
    const calmStates = new Map((await calm.deps.store.listLatestNodeStates(new Date())).map((s) => [s.node, s.status]));
    const chaos = await environment(400, 'chaos');
    await runScanSteps(chaos.deps, input('chaos-cmp'), 50);
    const chaosStates = await chaos.deps.store.listLatestNodeStates(new Date());
    let compared = 0;
    for (const s of chaosStates) {
      const before = calmStates.get(s.node);
      if (before === 'COMPLIANT') expect(s.status, s.node).not.toBe('AT_RISK');
      if (before === 'AT_RISK') expect(s.status, s.node).not.toBe('COMPLIANT');
      compared += 1;
    }
    expect(compared).toBe(400);
  });
});
