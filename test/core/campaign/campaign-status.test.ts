import { describe, expect, it } from 'vitest';
import type { CampaignPlan } from '../../../src/core/campaign/campaign-plan.ts';
import { computeCampaignStatus, judgeProgress } from '../../../src/core/campaign/campaign-status.ts';
import { planCampaign } from '../../../src/core/campaign/plan-campaign.ts';
import { readCampaignStatus } from '../../../src/core/campaign/read-campaign-status.ts';
import type { FleetStore } from '../../../src/core/store/fleet-store.ts';
import type { NodeState } from '../../../src/core/store/node-state.ts';
import { makeState, REEXEC_PENDING, T_PLAN } from './campaign-fixtures.ts';

const LATER = '2026-12-01T08:00:00.000Z';
const NOW = new Date('2026-12-01T09:00:00.000Z');

const atRisk = (node: string, cluster: string) =>
  makeState({ node, findings: [['RUNC-CVE-2024-21626', 'high']], tags: { cluster } });

/** Four nodes, one per wave (one node of the single group per wave). */
function fourWavePlan(): CampaignPlan {
  return planCampaign(
    [
      atRisk('n1', 'a'),
      atRisk('n2', 'a'),
      atRisk('n3', 'a'),
      makeState({ node: 'n4', pending: [REEXEC_PENDING], tags: { cluster: 'a' } }),
    ],
    { id: 'cmp-1', now: T_PLAN, maxUnavailable: { count: 1 } },
  );
}

describe('judgeProgress', () => {
  const planned = fourWavePlan().waves[0]!.nodes[0]!;

  it.each<[string, NodeState | undefined, string]>([
    ['no state left', undefined, 'not-rescanned'],
    [
      'the same state as planned',
      makeState({ node: planned.node, findings: [['RUNC-CVE-2024-21626', 'high']] }),
      'not-rescanned',
    ],
    ['compliant later', makeState({ node: planned.node, lastSeen: LATER }), 'remediated'],
    [
      'still at risk later',
      makeState({ node: planned.node, findings: [['RUNC-CVE-2024-21626', 'high']], lastSeen: LATER }),
      'at-risk',
    ],
    [
      'upgraded, not re-executed',
      makeState({ node: planned.node, pending: [REEXEC_PENDING], lastSeen: LATER }),
      'pending-reboot',
    ],
    [
      'unreachable later',
      makeState({ node: planned.node, status: 'UNREACHABLE', lastSeen: LATER }),
      'unreachable',
    ],
    ['unknown later', makeState({ node: planned.node, status: 'UNKNOWN', lastSeen: LATER }), 'unknown'],
  ])('judges a node %s', (_, state, expected) => {
    expect(judgeProgress(planned, state)).toBe(expected);
  });
});

describe('computeCampaignStatus', () => {
  it('counts per wave and overall, names the current wave and nodes outside the plan', () => {
    const plan = fourWavePlan();
    const ids = plan.waves.map((w) => w.nodes[0]!.node);
    const states = new Map<string, NodeState | undefined>([
      [ids[0]!, makeState({ node: ids[0]!, lastSeen: LATER })],
      [ids[1]!, makeState({ node: ids[1]!, pending: [REEXEC_PENDING], lastSeen: LATER })],
      [ids[2]!, undefined],
    ]);
    const newcomer = atRisk('n9', 'b');
    const status = computeCampaignStatus(plan, states, [newcomer], NOW);
    expect(status.waves.map((w) => w.state)).toEqual(['done', 'in-progress', 'not-started', 'not-started']);
    expect(status.overall).toMatchObject({
      nodes: 4,
      remediated: 1,
      'pending-reboot': 1,
      'not-rescanned': 2,
      percentRemediated: 25,
      clean: false,
      currentWave: 2,
    });
    expect(status.outsidePlan).toEqual({ count: 1, nodes: ['n9'] });
    expect(status.nodes.map((n) => n.progress)).toEqual([
      'remediated',
      'pending-reboot',
      'not-rescanned',
      'not-rescanned',
    ]);
  });

  it('is clean when every planned node is remediated and nothing else needs a fix', () => {
    const plan = fourWavePlan();
    const states = new Map(
      plan.waves.flatMap((w) => w.nodes).map((n) => [n.node, makeState({ node: n.node, lastSeen: LATER })]),
    );
    const status = computeCampaignStatus(
      plan,
      states,
      [makeState({ node: 'x', status: 'UNREACHABLE', lastSeen: LATER })],
      NOW,
    );
    expect(status.overall).toMatchObject({ remediated: 4, percentRemediated: 100, clean: true });
    expect(status.overall.currentWave).toBeUndefined();
  });

  it('rounds the remediated share down to one decimal (never claims 100% early)', () => {
    const states = Array.from({ length: 1000 }, (_, i) => atRisk(`n${String(i).padStart(4, '0')}`, 'a'));
    const plan = planCampaign(states, { id: 'big', now: T_PLAN, maxUnavailable: { percent: 100 } });
    const done = new Map(
      states.slice(0, 999).map((s) => [s.node, makeState({ node: s.node, lastSeen: LATER })]),
    );
    expect(computeCampaignStatus(plan, done, [], NOW).overall.percentRemediated).toBe(99.9);
  });
});

describe('readCampaignStatus', () => {
  it('takes nodes still needing attention from the attention index and reads only the others one by one', async () => {
    const plan = fourWavePlan();
    const ids = plan.waves.map((w) => w.nodes[0]!.node);
    const gets: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const store: Pick<FleetStore, 'listCurrentAttention' | 'getNodeState'> = {
      listCurrentAttention: async () => ({
        runs: { newer: [] },
        nodes: [makeState({ node: ids[0]!, findings: [['RUNC-CVE-2024-21626', 'high']], lastSeen: LATER })],
      }),
      getNodeState: async (node) => {
        gets.push(node);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return makeState({ node, lastSeen: LATER });
      },
    };
    const status = await readCampaignStatus(store, plan, { now: NOW, concurrency: 2 });
    expect(gets.sort()).toEqual(ids.slice(1).sort());
    expect(maxInFlight).toBe(2);
    expect(status.nodes.map((n) => n.progress)).toEqual([
      'at-risk',
      'remediated',
      'remediated',
      'remediated',
    ]);
  });
});
