import { describe, expect, it } from 'vitest';
import { evaluateBlock } from '../../src/core/evaluation/evaluate-node.ts';
import { parseProbeOutput } from '../../src/core/probe/parse-probe-output.ts';
import type { NodeFault } from '../../src/local/fleet/virtual-fleet.ts';
import { buildLocalFleet } from '../../src/local/local-fleet.ts';
import { runScanSteps } from '../../src/local/local-scan.ts';
import {
  calmVerdicts,
  catalog,
  expectNoWorseThanCalm,
  expectRunInvariants,
  fleetNodeIds,
  scanInput,
  startHarness,
} from './scan-harness.ts';

/**
 * `--faults chaos` against the same fleet without faults (same seed and size): chaos adds
 * UNREACHABLE and UNKNOWN nodes and never changes what a node that answered is found to have.
 * The chaos scans run the simulator's default chaos plan (throttling bursts on every operation).
 */

describe.concurrent('chaos against calm', () => {
  it('a calm scan stores, for every node, exactly the verdict of its complete output', async ({ onTestFinished }) => {
    const spec = { nodes: 150, seed: 31, faults: 'none' } as const;
    const h = await startHarness(spec);
    onTestFinished(() => h.close());
    const { summary } = await runScanSteps(h.deps, scanInput('calm-31'), 25);
    const states = await expectRunInvariants(h.store, 'calm-31', summary, fleetNodeIds(h.fleet));
    const calm = calmVerdicts(spec);
    for (const [node, state] of states) {
      expect({ status: state.status, findings: state.findings.map((f) => f.id).sort() }, node).toEqual(calm.get(node));
    }
    expect(summary.byStatus.UNREACHABLE + summary.byStatus.UNKNOWN).toBe(0);
  });

  it.for([
    [250, 7],
    [200, 1234],
  ] as const)(
    'a chaos scan of %i nodes (seed %i) adds UNREACHABLE and UNKNOWN nodes and changes no answered verdict',
    { timeout: 60_000 },
    async ([nodes, seed], { onTestFinished }) => {
      const h = await startHarness({ nodes, seed, faults: 'chaos' }, { faultPlan: undefined });
      onTestFinished(() => h.close());
      const runId = `chaos-${seed}`;
      const { summary } = await runScanSteps(h.deps, scanInput(runId), 25);
      const states = await expectRunInvariants(h.store, runId, summary, fleetNodeIds(h.fleet));
      expect(summary.byStatus.UNREACHABLE).toBeGreaterThan(0);
      expect(summary.byStatus.UNKNOWN).toBeGreaterThan(0);
      expect(h.env.simulatorCalls().throttled).toBeGreaterThan(0);
      const compared = expectNoWorseThanCalm(states, calmVerdicts({ nodes, seed }), h.fleet);
      expect(compared).toBe(nodes);
      // Every node SSM never reached is UNREACHABLE; every damaged output that proves nothing is UNKNOWN.
      for (const node of h.fleet.nodes) {
        const state = states.get(node.instanceId)!;
        if (['undeliverable', 'offline', 'vanish', 'invalid-platform', 'access-denied'].includes(node.fault)) {
          expect(state.status, node.fault).toBe('UNREACHABLE');
        }
        if (node.fault === 'garbage') expect(state.status).toBe('UNKNOWN');
      }
    },
  );
});

describe('chaos outputs over many generated fleets (no scan: every damaged output judged directly)', () => {
  const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);
  const DAMAGED: readonly NodeFault[] = ['truncated', 'garbage', 'failed', 'execution-timeout', 'oversized'];

  it(`never makes a calm COMPLIANT node AT_RISK, an AT_RISK one COMPLIANT, or invents a finding (${SEEDS.length} seeds x 500 nodes)`, () => {
    let judged = 0;
    for (const seed of SEEDS) {
      const chaos = buildLocalFleet({ nodes: 500, seed, faults: 'chaos' });
      const calm = calmVerdicts({ nodes: 500, seed });
      for (const node of chaos.nodes) {
        if (!DAMAGED.includes(node.fault)) continue;
        const before = calm.get(node.instanceId)!;
        const block = parseProbeOutput(chaos.stdout(node))[0];
        if (!block) continue;
        const verdict = evaluateBlock(block, catalog, node.instanceId);
        const where = `seed ${seed} ${node.instanceId} ${node.profile} ${node.fault}`;
        judged += 1;
        if (before.status === 'COMPLIANT') expect(verdict.status, where).not.toBe('AT_RISK');
        if (before.status === 'AT_RISK') expect(verdict.status, where).not.toBe('COMPLIANT');
        for (const f of verdict.findings) expect(before.findings, `${where} gained ${f.id}`).toContain(f.id);
        if (node.fault === 'oversized') expect(verdict.findings.map((f) => f.id).sort(), where).toEqual(before.findings);
      }
    }
    expect(judged).toBeGreaterThan(SEEDS.length * 10);
  });
});
