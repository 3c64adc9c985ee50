import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CampaignPlan,
  type MaxUnavailable,
  NO_GROUP,
  type PlannedNode,
} from '../../../src/core/campaign/campaign-plan.ts';
import { groupAllowance, parseMaxUnavailable } from '../../../src/core/campaign/max-unavailable.ts';
import { comparePlanned, planCampaign } from '../../../src/core/campaign/plan-campaign.ts';
import type { NodeState } from '../../../src/core/store/node-state.ts';
import type { Severity, VerdictStatus } from '../../../src/core/verdict.ts';
import { makeState, REEXEC_PENDING, T_PLAN } from './campaign-fixtures.ts';

const RUNS = 2000;
const ADVISORIES = [
  'SYSTEMD-DBUS-COOKIE-OVERFLOW',
  'RUNC-CVE-2024-21626',
  'RUNC-CVE-2019-5736',
  'CGROUP-DRIVER-MISMATCH',
  'KUBELET-CGROUPV1-REJECTED',
  'ACME-UNKNOWN-1',
] as const;

const findingArb = fc.tuple(
  fc.constantFrom(...ADVISORIES),
  fc.constantFrom<Severity>('low', 'medium', 'high', 'critical'),
  fc.boolean(),
);

/** A random state: any status, findings, a group tag from a few (or none), uptime, scan time. */
const stateArb = fc
  .record({
    node: fc.integer({ min: 0, max: 60 }).map((i) => `i-${String(i).padStart(17, '0')}`),
    status: fc.constantFrom<VerdictStatus>(
      'AT_RISK',
      'AT_RISK',
      'PENDING_REBOOT',
      'COMPLIANT',
      'UNKNOWN',
      'UNREACHABLE',
    ),
    findings: fc.uniqueArray(findingArb, { maxLength: 3, selector: (f) => f[0] }),
    group: fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: undefined }),
    uptime: fc.option(
      fc.integer({ min: 0, max: 5 }).map((d) => d * 86_400),
      { nil: undefined },
    ),
    minute: fc.integer({ min: 0, max: 3 }),
  })
  .map((r): NodeState => {
    const pending = r.status === 'PENDING_REBOOT';
    const base = makeState({
      node: r.node,
      status: r.status,
      findings: r.status === 'AT_RISK' ? r.findings : [],
      pending: pending ? [REEXEC_PENDING] : [],
      tags: r.group === undefined ? {} : { cluster: r.group },
      lastSeen: `2026-11-30T08:0${r.minute}:00.000Z`,
    });
    const { uptimeSeconds: _, ...facts } = base.facts;
    // As in the store, the fingerprint follows the content: one node, time, run and fingerprint = one state.
    const fingerprint = JSON.stringify([r.status, r.findings, r.group ?? null, r.uptime ?? null]);
    return {
      ...base,
      fingerprint,
      facts: r.uptime === undefined ? facts : { ...facts, uptimeSeconds: r.uptime },
    };
  });

const maxArb: fc.Arbitrary<MaxUnavailable> = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map((count) => ({ count })),
  fc.integer({ min: 1, max: 100 }).map((percent) => ({ percent })),
);

const sizesArb = fc.option(
  fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', NO_GROUP), fc.integer({ min: 0, max: 200 })),
  { nil: undefined },
);

const plan = (states: readonly NodeState[], max: MaxUnavailable, sizes?: Record<string, number>) =>
  planCampaign(states, {
    id: 'cmp-test',
    now: T_PLAN,
    maxUnavailable: max,
    ...(sizes === undefined ? {} : { groupSizes: new Map(Object.entries(sizes)) }),
  });

/** The newest state of each node among the inputs that a campaign acts on (independent of the planner). */
function expectedNodes(states: readonly NodeState[]): Set<string> {
  const newest = new Map<string, NodeState>();
  for (const s of states) {
    const seen = newest.get(s.node);
    if (
      !seen ||
      s.lastSeen > seen.lastSeen ||
      (s.lastSeen === seen.lastSeen &&
        (s.runId > seen.runId || (s.runId === seen.runId && s.fingerprint > seen.fingerprint)))
    )
      newest.set(s.node, s);
  }
  return new Set(
    [...newest.values()]
      .filter((s) => s.status === 'AT_RISK' || s.status === 'PENDING_REBOOT')
      .map((s) => s.node),
  );
}

/** Smallest k with 100 k >= percent x size, by counting: no shared formula with the planner. */
function referenceAllowance(max: MaxUnavailable, size: number): number {
  if ('count' in max) return Math.max(1, Math.min(max.count, size));
  let k = 0;
  while (100 * k < max.percent * size) k += 1;
  return Math.max(1, k);
}

function groupSize(p: CampaignPlan, group: string, sizes?: Record<string, number>): number {
  const planned = p.waves.flatMap((w) => w.nodes).filter((n) => n.group === group).length;
  const known = sizes !== undefined && Object.hasOwn(sizes, group) ? sizes[group] : undefined;
  return known === undefined ? planned : Math.max(planned, known);
}

describe('planCampaign (properties)', () => {
  it('puts every at-risk node in exactly one wave', () => {
    fc.assert(
      fc.property(fc.array(stateArb, { maxLength: 80 }), maxArb, sizesArb, (states, max, sizes) => {
        const p = plan(states, max, sizes);
        const ids = p.waves.flatMap((w) => w.nodes.map((n) => n.node));
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(expectedNodes(states));
        expect(p.summary.nodes).toBe(ids.length);
        expect(p.summary.skipped).toBe(states.length - ids.length);
        for (const w of p.waves) expect(w.nodes.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('never takes more than a group allowance in one wave', () => {
    fc.assert(
      fc.property(fc.array(stateArb, { maxLength: 80 }), maxArb, sizesArb, (states, max, sizes) => {
        const p = plan(states, max, sizes);
        for (const g of p.groups) {
          expect(g.allowance).toBe(referenceAllowance(max, groupSize(p, g.group, sizes)));
        }
        for (const w of p.waves) {
          const counts = new Map<string, number>();
          for (const n of w.nodes) counts.set(n.group, (counts.get(n.group) ?? 0) + 1);
          for (const [group, count] of counts) {
            expect(count).toBeLessThanOrEqual(referenceAllowance(max, groupSize(p, group, sizes)));
          }
          expect(w.groups).toEqual(
            [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([group, nodes]) => ({ group, nodes })),
          );
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('lets a node wait for a later wave only when its group was full in every earlier one', () => {
    fc.assert(
      fc.property(fc.array(stateArb, { maxLength: 80 }), maxArb, sizesArb, (states, max, sizes) => {
        const p = plan(states, max, sizes);
        const allowance = new Map(p.groups.map((g) => [g.group, g.allowance]));
        p.waves.forEach((earlier, i) => {
          const inEarlier = (group: string) => earlier.nodes.filter((n) => n.group === group).length;
          for (const later of p.waves.slice(i + 1)) {
            for (const y of later.nodes) {
              // y waits although a less urgent node went earlier: only because y's group was full.
              if (earlier.nodes.some((x) => comparePlanned(y, x) < 0)) {
                expect(inEarlier(y.group)).toBe(allowance.get(y.group));
              }
              // Within a group, never out of urgency order.
              for (const x of earlier.nodes)
                if (x.group === y.group) expect(comparePlanned(x, y)).toBeLessThan(0);
            }
          }
        });
        const fewest = Math.max(0, ...p.groups.map((g) => Math.ceil(g.planned / g.allowance)));
        expect(p.waves.length).toBe(fewest);
      }),
      { numRuns: RUNS },
    );
  });

  it('orders each wave by urgency and is the same plan for the same states in any order', () => {
    fc.assert(
      fc.property(
        fc.array(stateArb, { maxLength: 60 }),
        maxArb,
        sizesArb,
        fc.integer(),
        (states, max, sizes, seed) => {
          const p = plan(states, max, sizes);
          const shuffled = fc.sample(
            fc.shuffledSubarray(states, { minLength: states.length, maxLength: states.length }),
            {
              numRuns: 1,
              seed,
            },
          )[0] as NodeState[];
          expect(plan(shuffled, max, sizes)).toEqual(p);
          for (const w of p.waves) {
            const order = [...w.nodes].sort(comparePlanned);
            expect(w.nodes).toEqual(order);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('planCampaign (examples)', () => {
  const node = (i: number, group: string, severity: Severity, hang = false) =>
    makeState({
      node: `i-${String(i).padStart(17, '0')}`,
      findings: [['RUNC-CVE-2024-21626', severity, hang]],
      tags: { cluster: group },
    });

  it('takes the hang and the critical nodes first and keeps PENDING_REBOOT nodes for last', () => {
    const states = [
      makeState({ node: 'i-pending', pending: [REEXEC_PENDING], tags: { cluster: 'a' } }),
      node(1, 'a', 'low'),
      node(2, 'a', 'critical'),
      node(3, 'a', 'high', true),
    ];
    const p = planCampaign(states, { id: 'c1', now: T_PLAN, maxUnavailable: { count: 1 } });
    expect(p.waves.map((w) => w.nodes.map((n: PlannedNode) => n.urgency))).toEqual([
      ['hang'],
      ['critical'],
      ['low'],
      ['pending'],
    ]);
  });

  it('rounds a percent allowance up, never below one node', () => {
    const states = Array.from({ length: 10 }, (_, i) => node(i, 'a', 'high'));
    const p = planCampaign(states, { id: 'c2', now: T_PLAN, maxUnavailable: { percent: 25 } });
    expect(p.groups).toEqual([{ group: 'a', planned: 10, size: 10, allowance: 3, waves: 4 }]);
    expect(p.waves.map((w) => w.nodes.length)).toEqual([3, 3, 3, 1]);
    const tiny = planCampaign(states.slice(0, 2), { id: 'c3', now: T_PLAN, maxUnavailable: { percent: 1 } });
    expect(tiny.groups[0]?.allowance).toBe(1);
  });

  it('computes a percent of the whole group when its fleet size is given', () => {
    const states = Array.from({ length: 5 }, (_, i) => node(i, 'a', 'high'));
    const p = planCampaign(states, {
      id: 'c4',
      now: T_PLAN,
      maxUnavailable: { percent: 10 },
      groupSizes: new Map([['a', 100]]),
    });
    expect(p.settings.groupSize).toBe('fleet');
    expect(p.groups[0]).toMatchObject({ planned: 5, size: 100, allowance: 10, waves: 1 });
  });

  it('puts nodes without the group tag in their own group', () => {
    const states = [
      node(1, 'a', 'high'),
      makeState({ node: 'i-untagged', findings: [['RUNC-CVE-2024-21626', 'high']], tags: {} }),
    ];
    const p = planCampaign(states, { id: 'c5', now: T_PLAN, maxUnavailable: { count: 1 } });
    expect(p.groups.map((g) => g.group)).toEqual([NO_GROUP, 'a']);
    expect(p.waves).toHaveLength(1);
  });

  it('groups by any tag key', () => {
    const states = [
      makeState({
        node: 'i-1',
        findings: [['RUNC-CVE-2024-21626', 'high']],
        tags: { cluster: 'a', az: 'x' },
      }),
      makeState({
        node: 'i-2',
        findings: [['RUNC-CVE-2024-21626', 'high']],
        tags: { cluster: 'a', az: 'y' },
      }),
    ];
    const p = planCampaign(states, { id: 'c6', now: T_PLAN, groupBy: 'az', maxUnavailable: { count: 1 } });
    expect(p.waves).toHaveLength(1);
    expect(p.settings.groupBy).toBe('az');
  });

  it('refuses an id that cannot be a store key and a zero allowance', () => {
    expect(() => planCampaign([], { id: 'a#b', now: T_PLAN, maxUnavailable: { count: 1 } })).toThrow(
      /id "a#b"/,
    );
    expect(() => planCampaign([], { id: 'ok', now: T_PLAN, maxUnavailable: { count: 0 } })).toThrow(
      /at least 1/,
    );
  });
});

describe('parseMaxUnavailable and groupAllowance', () => {
  it.each([
    ['3', { count: 3 }],
    ['25%', { percent: 25 }],
    [' 100% ', { percent: 100 }],
  ])('reads %j', (text, expected) => {
    expect(parseMaxUnavailable(text)).toEqual(expected);
  });

  it.each(['0', '0%', '101%', '2.5', '-1', 'ten', '', '12.5%'])('refuses %j', (text) => {
    expect(() => parseMaxUnavailable(text)).toThrow(/max-unavailable/);
  });

  it('does not round 7% of 100 up to 8 through floating point', () => {
    // The pitfall: in floating point 0.07 x 100 is 7.000000000000001, whose ceiling is 8.
    expect(Math.ceil(0.07 * 100)).toBe(8);
    expect(groupAllowance({ percent: 7 }, 100)).toBe(7);
    expect(groupAllowance({ percent: 29 }, 100)).toBe(29);
  });

  it('matches the counting definition for every percent and size up to 300', () => {
    for (let percent = 1; percent <= 100; percent += 1) {
      for (let size = 0; size <= 300; size += 1) {
        expect(groupAllowance({ percent }, size)).toBe(referenceAllowance({ percent }, size));
      }
    }
  });
});
