import { describe, expect, it } from 'vitest';
import { ScanAlreadyRunningError } from '../../src/core/store/scan-already-running-error.ts';
import { buildLocalFleet } from '../../src/local/local-fleet.ts';
import { runScanSteps } from '../../src/local/local-scan.ts';
import { checkScan } from '../../src/pipeline/check-step.ts';
import { collectScan } from '../../src/pipeline/collect-step.ts';
import { dispatchScan } from '../../src/pipeline/dispatch-step.ts';
import { failScan, finalizeScan, NOT_INVOKED } from '../../src/pipeline/finalize-step.ts';
import type { TargetNode } from '../../src/pipeline/ports.ts';
import type { ScanDeps } from '../../src/pipeline/scan-deps.ts';
import type { ScanState } from '../../src/pipeline/scan-state.ts';
import {
  calmVerdicts,
  expectNoWorseThanCalm,
  expectRunInvariants,
  fleetNodeIds,
  type Harness,
  quickFleet,
  scanInput,
  startHarness,
} from './scan-harness.ts';

/**
 * Scans that meet each other and fleets that change under them: duplicate EventBridge
 * deliveries, a scan that overlaps the previous one, a lock taken over from a dead run, and nodes
 * that disappear (or appear) between the tag listing, the SendCommand and the deadline.
 */

const SPEC = { nodes: 80, seed: 23, faults: 'none' } as const;
const calm = calmVerdicts(SPEC);

async function harness(onFinished: (fn: () => Promise<void>) => void, extra: Parameters<typeof startHarness>[1] = {}): Promise<Harness> {
  const h = await startHarness(SPEC, { fleet: quickFleet(buildLocalFleet(SPEC)), ...extra });
  onFinished(() => h.close());
  return h;
}

async function readyState(deps: ScanDeps, runId: string, startedAt = new Date()): Promise<ScanState> {
  let state = await dispatchScan(deps, scanInput(runId, startedAt));
  do {
    await new Promise((r) => setTimeout(r, 15));
    state = await checkScan(deps, state);
  } while (!state.ready);
  return state;
}

function commandsOf(h: Harness, runId: string): number {
  return h.env.sentCommands().filter((c) => (c.request as { comment?: string }).comment?.startsWith(`fc run ${runId} `)).length;
}

async function runItem(h: Harness, runId: string) {
  return (await h.store.listRuns({ limit: 100, now: new Date(Date.now() + 86_400_000) })).find((r) => r.runId === runId);
}

describe.concurrent('duplicate EventBridge deliveries', () => {
  it('two executions started at once: one scans, the other sends nothing and writes nothing', async ({ onTestFinished }) => {
    const h = await harness(onTestFinished);
    const [a, b] = await Promise.allSettled([
      runScanSteps(h.deps, scanInput('delivery-a'), 15),
      runScanSteps(h.deps, scanInput('delivery-b'), 15),
    ]);
    const won = a.status === 'fulfilled' ? 'delivery-a' : 'delivery-b';
    const lost = won === 'delivery-a' ? 'delivery-b' : 'delivery-a';
    const [winner, loser] = won === 'delivery-a' ? [a, b] : [b, a];
    expect(winner.status).toBe('fulfilled');
    expect(loser.status).toBe('rejected');
    expect((loser as PromiseRejectedResult).reason).toBeInstanceOf(ScanAlreadyRunningError);
    expect(commandsOf(h, lost)).toBe(0);
    expect(await runItem(h, lost)).toBeUndefined();
    const summary = (winner as PromiseFulfilledResult<Awaited<ReturnType<typeof runScanSteps>>>).value.summary;
    const states = await expectRunInvariants(h.store, won, summary, fleetNodeIds(h.fleet));
    expectNoWorseThanCalm(states, calm, h.fleet);
    expect(commandsOf(h, won)).toBe(1);
  });

  it('the same execution delivered again after it finished re-runs to the same counts, with no second command', async ({ onTestFinished }) => {
    const h = await harness(onTestFinished);
    const input = scanInput('redelivered');
    const first = await runScanSteps(h.deps, input, 15);
    const again = await runScanSteps(h.deps, input, 15);
    expect({ ...again.summary, finishedAt: '' }).toEqual({ ...first.summary, finishedAt: '' });
    expect(commandsOf(h, 'redelivered')).toBe(1);
    await expectRunInvariants(h.store, 'redelivered', again.summary, fleetNodeIds(h.fleet));
  });

  it('the same dispatch run twice at once, both past the sent-command lookup, still judges every node once', async ({ onTestFinished }) => {
    // The worst interleaving, forced: both attempts look for the run's commands before either sends.
    let arrived = 0;
    let release: () => void = () => {};
    const bothLooked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await harness(onTestFinished, {
      wrapDeps: (deps) => ({
        ...deps,
        fleet: Object.assign(Object.create(deps.fleet), {
          findSentCommands: async (...args: Parameters<ScanDeps['fleet']['findSentCommands']>) => {
            const found = await deps.fleet.findSentCommands(...args);
            arrived += 1;
            if (arrived === 2) release();
            await bothLooked;
            return found;
          },
        }),
      }),
    });
    const input = scanInput('twin-dispatch');
    const [kept] = await Promise.all([dispatchScan(h.deps, input), dispatchScan(h.deps, input)]);
    // Step Functions keeps one attempt's result; the scan goes on from it.
    let state = kept;
    do {
      await new Promise((r) => setTimeout(r, 15));
      state = await checkScan(h.deps, state);
    } while (!state.ready);
    do state = await collectScan(h.deps, state);
    while (!state.collected);
    const summary = await finalizeScan(h.deps, state);
    await expectRunInvariants(h.store, 'twin-dispatch', summary, fleetNodeIds(h.fleet));
    // Both attempts sent the probe (it runs twice on each node and changes nothing); only the kept
    // attempt's command is collected, so no node is counted twice.
    expect(commandsOf(h, 'twin-dispatch')).toBe(2);
    expect(state.commands).toHaveLength(1);
  });
});

describe.concurrent('overlapping scans', () => {
  it('a scan that starts while the previous one collects is refused, and runs whole once it is done', async ({ onTestFinished }) => {
    const h = await harness(onTestFinished, { collectBudgetMs: 1 });
    let previous = await readyState(h.deps, 'previous');
    previous = await collectScan(h.deps, previous);
    expect(previous.collected).toBe(false);

    await expect(runScanSteps(h.deps, scanInput('overlapping'), 15)).rejects.toBeInstanceOf(ScanAlreadyRunningError);
    expect(commandsOf(h, 'overlapping')).toBe(0);
    expect(await runItem(h, 'overlapping')).toBeUndefined();

    while (!previous.collected) previous = await collectScan(h.deps, previous);
    const first = await finalizeScan(h.deps, previous);
    await expectRunInvariants(h.store, 'previous', first, fleetNodeIds(h.fleet));
    const next = await runScanSteps(h.deps, scanInput('next'), 15);
    const states = await expectRunInvariants(h.store, 'next', next.summary, fleetNodeIds(h.fleet));
    expectNoWorseThanCalm(states, calm, h.fleet);
    // The newest complete run is the one the at-risk list reads.
    const current = await h.store.listCurrentAttention({ now: new Date() });
    expect(current.runs.complete?.runId).toBe('next');
    expect(current.runs.newer).toEqual([]);
  });

  it('a run whose lease expired loses the lock to the next one, and its late steps cannot take it back', async ({ onTestFinished }) => {
    const h = await harness(onTestFinished);
    const stale = await readyState(h.deps, 'stale');
    // The next schedule fires hours later (the stale run's Lambda never came back): its clock is ahead.
    const hoursLater = () => new Date(Date.now() + 3 * 3600_000);
    const later: ScanDeps = { ...h.deps, clock: { now: hoursLater } };
    const takeover = await readyState(later, 'takeover', hoursLater());

    // The stale run wakes up and carries on. Whether a step notices the lost lock (and the state
    // machine records the run FAILED) or it runs to the end, it never frees the new run's lock.
    let state = stale;
    try {
      while (!state.collected) state = await collectScan(h.deps, state);
      const summary = await finalizeScan(h.deps, state);
      await expectRunInvariants(h.store, 'stale', summary, fleetNodeIds(h.fleet));
    } catch (error) {
      expect(error).toBeInstanceOf(ScanAlreadyRunningError);
      expect((error as ScanAlreadyRunningError).holderRunId).toBe('takeover');
      await failScan(h.deps, state, 'lost the scan lock');
      expect((await runItem(h, 'stale'))?.status).toBe('FAILED');
    }
    await expect(dispatchScan(later, scanInput('third', hoursLater()))).rejects.toBeInstanceOf(ScanAlreadyRunningError);

    let next = takeover;
    do next = await collectScan(later, next);
    while (!next.collected);
    const summary = await finalizeScan(later, next);
    const states = await expectRunInvariants(h.store, 'takeover', summary, fleetNodeIds(h.fleet));
    expectNoWorseThanCalm(states, calm, h.fleet);
    // Freed by the run that held it: the next scan may start.
    await expect(dispatchScan(later, scanInput('after-takeover', hoursLater()))).resolves.toMatchObject({ runId: 'after-takeover' });
  });
});

describe.concurrent('nodes that disappear mid-scan', () => {
  it('accounts for nodes terminated after the tag listing and nodes tagged after it', async ({ onTestFinished }) => {
    const ghosts = ['i-0deadbeef00000001', 'i-0deadbeef00000002', 'mi-0deadbeef0000000003'];
    const fleet = quickFleet(buildLocalFleet(SPEC));
    const lateTagged = new Set(fleet.nodes.slice(0, 3).map((n) => n.instanceId));
    const h = await harness(onTestFinished, {
      fleet,
      wrapDeps: (deps) => ({
        ...deps,
        directory: {
          listTargets: async (targets, tagKeys): Promise<TargetNode[]> => {
            const listed = await deps.directory.listTargets(targets, tagKeys);
            return [...listed.filter((n) => !lateTagged.has(n.id)), ...ghosts.map((id) => ({ id, tags: { cluster: 'gone' } }))];
          },
        },
      }),
    });
    const { summary } = await runScanSteps(h.deps, scanInput('churn'), 15);
    const expected = new Set([...fleetNodeIds(fleet), ...ghosts]);
    const states = await expectRunInvariants(h.store, 'churn', summary, expected);
    for (const ghost of ghosts) {
      expect(states.get(ghost)).toMatchObject({ status: 'UNREACHABLE', ssmStatus: NOT_INVOKED });
    }
    for (const id of lateTagged) expect(states.get(id)?.status).toBe(calm.get(id)?.status);
    expect(summary.coverage).toMatchObject({ expected: fleet.nodes.length, missing: ghosts.length });
  });

  it('gives every node still in flight at the deadline exactly one status (UNREACHABLE), and any that answered their verdict', async ({ onTestFinished }) => {
    const spec = { nodes: 120, seed: 29, faults: 'chaos' } as const;
    const h = await startHarness(spec, {
      // One node at a time (MaxConcurrency 1), a delivery timeout long enough to keep the rest
      // waiting, and a deadline already passed at the first check: most nodes have not even started
      // when the scan stops waiting, and collect takes whatever state each one is in.
      wrapDeps: (deps) => ({
        ...deps,
        settings: { ...deps.settings, maxConcurrency: '1', deliveryTimeoutSeconds: 3600, deadlineSeconds: 0 },
      }),
    });
    onTestFinished(() => h.close());
    const { summary } = await runScanSteps(h.deps, scanInput('deadline'), 25);
    const states = await expectRunInvariants(h.store, 'deadline', summary, fleetNodeIds(h.fleet));
    expect(summary.bySsmStatus.DeadlineExceeded ?? 0).toBeGreaterThan(spec.nodes / 2);
    expectNoWorseThanCalm(states, calmVerdicts(spec), h.fleet);
  });

  it('vanished, offline and undeliverable nodes of a chaos fleet are UNREACHABLE once each', async ({ onTestFinished }) => {
    const spec = { nodes: 150, seed: 41, faults: 'chaos' } as const;
    const h = await startHarness(spec);
    onTestFinished(() => h.close());
    const { summary } = await runScanSteps(h.deps, scanInput('vanish'), 25);
    const states = await expectRunInvariants(h.store, 'vanish', summary, fleetNodeIds(h.fleet));
    const gone = h.fleet.nodes.filter((n) => ['vanish', 'offline', 'undeliverable'].includes(n.fault));
    expect(gone.length).toBeGreaterThanOrEqual(3);
    for (const node of gone) expect(states.get(node.instanceId)?.status, node.fault).toBe('UNREACHABLE');
  });
});
