import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLocalFleet } from '../../src/local/local-fleet.ts';
import { runScanSteps } from '../../src/local/local-scan.ts';
import { checkScan } from '../../src/pipeline/check-step.ts';
import { collectScan } from '../../src/pipeline/collect-step.ts';
import { dispatchScan } from '../../src/pipeline/dispatch-step.ts';
import { finalizeScan } from '../../src/pipeline/finalize-step.ts';
import type { ScanDeps } from '../../src/pipeline/scan-deps.ts';
import type { ScanState, ScanSummary } from '../../src/pipeline/scan-state.ts';
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
 * A step crash and re-run at every point of every step. A Lambda can die before or after any call
 * it makes (timeout, out of memory, a lost sandbox); Step Functions then runs the step again with
 * the same input. For every port call a scan makes (store, SSM, tagging, scratch), in dispatch,
 * the first check, the first two collect passes and finalize, the scan is run with a crash just
 * before that call and (for writes and sends) just after it, the step retried, and the run
 * checked: one state per node, counts that add up, and exactly the calm verdicts (no finding lost).
 */

type Step = 'dispatch' | 'check' | 'collect' | 'finalize';
type Port = 'store' | 'fleet' | 'directory' | 'scratch';

interface CallPoint {
  readonly step: Step;
  /** Which run of the step (collect passes and checks repeat): 0 for the first. */
  readonly occurrence: number;
  /** The call's position within that run of the step. */
  readonly index: number;
  readonly call: string;
}

interface CrashAt extends CallPoint {
  readonly when: 'before' | 'after';
}

class InjectedCrash extends Error {
  override name = 'InjectedCrash';
}

/** Counts the port calls of each step run and throws once at the planned point. */
class CrashInjector {
  readonly log: CallPoint[] = [];
  private step: Step = 'dispatch';
  private occurrences = new Map<Step, number>();
  private occurrence = 0;
  private index = 0;
  private fired = false;

  constructor(private readonly crash?: CrashAt) {}

  /** A new run of a step; a retry after a crash counts as the same run (same occurrence). */
  begin(step: Step, retry: boolean): void {
    if (!retry) {
      const seen = this.occurrences.get(step) ?? 0;
      this.occurrences.set(step, seen + 1);
      this.occurrence = seen;
    }
    this.step = step;
    this.index = 0;
  }

  get crashed(): boolean {
    return this.fired;
  }

  wrap(deps: ScanDeps): ScanDeps {
    return {
      ...deps,
      store: this.port('store', deps.store),
      fleet: this.port('fleet', deps.fleet),
      directory: this.port('directory', deps.directory),
      scratch: this.port('scratch', deps.scratch),
    };
  }

  private port<T extends object>(port: Port, target: T): T {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return async (...args: unknown[]) => {
          const point: CallPoint = { step: this.step, occurrence: this.occurrence, index: this.index, call: `${port}.${prop}` };
          this.index += 1;
          this.log.push(point);
          const hit = !this.fired && this.crash !== undefined && samePoint(this.crash, point);
          if (hit && this.crash?.when === 'before') {
            this.fired = true;
            throw new InjectedCrash(`crash before ${point.call}`);
          }
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
          if (hit && this.crash?.when === 'after') {
            this.fired = true;
            throw new InjectedCrash(`crash after ${point.call}`);
          }
          return result;
        };
      },
    });
  }
}

function samePoint(a: CallPoint, b: CallPoint): boolean {
  return a.step === b.step && a.occurrence === b.occurrence && a.index === b.index && a.call === b.call;
}

/** The state machine's order, with a crashed step run again on the same input (its Retry). */
async function runWithRetries(deps: ScanDeps, injector: CrashInjector, runId: string): Promise<ScanSummary> {
  const step = async <T>(name: Step, run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      injector.begin(name, attempt > 1);
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof InjectedCrash) || attempt >= 3) throw error;
      }
    }
  };
  let state: ScanState = await step('dispatch', () => dispatchScan(deps, scanInput(runId)));
  do {
    await new Promise((r) => setTimeout(r, 15));
    const current = state;
    state = await step('check', () => checkScan(deps, current));
  } while (!state.ready);
  do {
    const current = state;
    state = await step('collect', () => collectScan(deps, current));
  } while (!state.collected);
  const done = state;
  return step('finalize', () => finalizeScan(deps, done));
}

/** Port calls that only read: nothing they did can be left half done by a crash after them. */
const READS = new Set([
  'directory.listTargets',
  'fleet.findSentCommands',
  'fleet.describeCommand',
  'fleet.listInvocations',
  'fleet.fetchOutput',
  'scratch.loadTargets',
  'scratch.loadSeen',
]);

const SPEC = { nodes: 70, seed: 17, faults: 'none' } as const;
const fleet = quickFleet(buildLocalFleet(SPEC));
const calm = calmVerdicts(SPEC);
let harness: Harness;
let points: CallPoint[] = [];

beforeAll(async () => {
  // One collect pass per page (a Lambda short of time), so collect's cursor hand-over is crashed too.
  harness = await startHarness(SPEC, { fleet, collectBudgetMs: 1 });
  const recorder = new CrashInjector();
  const summary = await runWithRetries(recorder.wrap(harness.deps), recorder, 'record');
  await expectRunInvariants(harness.store, 'record', summary, fleetNodeIds(fleet));
  const wanted = (p: CallPoint) =>
    p.step === 'dispatch' || p.step === 'finalize' || (p.step === 'check' && p.occurrence === 0) || (p.step === 'collect' && p.occurrence <= 1);
  points = recorder.log.filter(wanted);
}, 60_000);
afterAll(() => harness?.close());

describe('a step crash and re-run at every call of every step', () => {
  it('meets every step and every port on the way (the crash points below cover them)', () => {
    const calls = new Set(points.map((p) => `${p.step}:${p.call}`));
    for (const call of [
      'dispatch:store.acquireScanLock',
      'dispatch:directory.listTargets',
      'dispatch:scratch.saveTargets',
      'dispatch:fleet.findSentCommands',
      'dispatch:fleet.sendProbe',
      'dispatch:store.saveRun',
      'check:fleet.describeCommand',
      'collect:scratch.loadTargets',
      'collect:scratch.loadSeen',
      'collect:fleet.listInvocations',
      'collect:store.putNodeStates',
      'collect:scratch.saveSeen',
      'finalize:scratch.loadSeen',
      'finalize:store.saveRun',
      'finalize:store.releaseScanLock',
    ]) {
      expect(calls, call).toContain(call);
    }
    expect(points.filter((p) => p.step === 'collect').map((p) => p.occurrence)).toContain(1);
  });

  it('keeps every invariant whichever call the crash hits, before or after it', async () => {
    let runs = 0;
    for (const point of points) {
      // After a read, a crash is the same as one before the next call: only writes and sends get both.
      const whens = READS.has(point.call) ? (['before'] as const) : (['before', 'after'] as const);
      for (const when of whens) {
        const injector = new CrashInjector({ ...point, when });
        const runId = `crash-${point.step}${point.occurrence}-${point.index}-${when}`;
        const summary = await runWithRetries(injector.wrap(harness.deps), injector, runId);
        expect(injector.crashed, runId).toBe(true);
        const states = await expectRunInvariants(harness.store, runId, summary, fleetNodeIds(fleet));
        expectNoWorseThanCalm(states, calm, fleet);
        for (const [node, state] of states) expect(state.status, `${runId} ${node}`).toBe(calm.get(node)?.status);
        expect(harness.env.sentCommands().filter((c) => (c.request as { comment?: string }).comment?.includes(`run ${runId} `))).toHaveLength(1);
        runs += 1;
      }
    }
    console.log(`step crashes injected and recovered: ${runs} (${points.length} call points)`);
    expect(runs).toBe(points.length + points.filter((p) => !READS.has(p.call)).length);
  }, 120_000);

  it('a step that keeps failing marks the run FAILED, frees the lock, and the next scan is whole', async () => {
    const broken: ScanDeps = {
      ...harness.deps,
      store: Object.assign(Object.create(harness.deps.store), {
        putNodeStates: async () => {
          throw new Error('table unavailable');
        },
      }),
    };
    await expect(runScanSteps(broken, scanInput('fails-in-collect'), 15)).rejects.toThrow(/table unavailable/);
    const failed = (await harness.store.listRuns({ limit: 100, now: new Date() })).find((r) => r.runId === 'fails-in-collect');
    expect(failed?.status).toBe('FAILED');
    const { summary } = await runScanSteps(harness.deps, scanInput('after-failure'), 15);
    await expectRunInvariants(harness.store, 'after-failure', summary, fleetNodeIds(fleet));
  });
});
