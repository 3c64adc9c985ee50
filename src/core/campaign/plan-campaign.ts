import { builtinCatalog } from '../advisory/builtin-catalog.ts';
import type { Catalog } from '../advisory/catalog.ts';
import { compareRecency } from '../store/attention.ts';
import type { NodeState } from '../store/node-state.ts';
import {
  type CampaignGroup,
  type CampaignPlan,
  type CampaignSettings,
  type CampaignWave,
  type Disruption,
  type MaxUnavailable,
  NO_GROUP,
  type PlannedNode,
  URGENCIES,
  type Urgency,
  urgencyRank,
} from './campaign-plan.ts';
import { InvalidCampaignSettingError } from './invalid-campaign-setting-error.ts';
import { assertValidMaxUnavailable, groupAllowance } from './max-unavailable.ts';
import { type AdvisoryLookup, planNodeRemediation } from './node-remediation.ts';

export interface PlanCampaignOptions {
  /** Names the plan in the store and in status output: letters, digits, `.`, `_`, `:`, `-`. */
  readonly id: string;
  readonly now: Date;
  /** Tag key whose value groups nodes (default `cluster`); nodes without it form the group `(none)`. */
  readonly groupBy?: string;
  readonly maxUnavailable: MaxUnavailable;
  /**
   * Every node of each group the caller knows of (the whole cluster, not only its at-risk
   * nodes). When given, a percent allowance is a share of that (basis `fleet`); otherwise of the
   * group's nodes in the plan (basis `plan`). A size below the planned count is raised to it.
   */
  readonly groupSizes?: ReadonlyMap<string, number>;
  /** Advisory actions come from here; default the built-in catalog. */
  readonly catalog?: Catalog;
  readonly selection?: CampaignSettings['selection'];
}

/** Statuses a campaign acts on; UNKNOWN and UNREACHABLE need a look, not a reboot. */
export const CAMPAIGN_STATUSES = ['AT_RISK', 'PENDING_REBOOT'] as const;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;

/**
 * Plans the waves of a reboot-upgrade campaign. Pure and deterministic: the same states (in any
 * order) and options give the same plan.
 *
 * - Each AT_RISK / PENDING_REBOOT node appears exactly once (the newest state of a node counts;
 *   other statuses and older duplicates are skipped and counted).
 * - Order of urgency: a hang in progress, then critical, high, medium, low, then nodes whose fix only
 *   needs a re-exec or reboot (PENDING_REBOOT); ties by longer uptime first (the D-Bus cookie
 *   counter overflows with uptime), then node id.
 * - Each group g has an allowance a(g) (see groupAllowance) and wave k takes the group's nodes
 *   k*a(g) .. (k+1)*a(g)-1 in urgency order. That is the greedy plan: every wave holds the most
 *   urgent nodes the allowances permit, a node waits only because its group is full in every
 *   earlier wave, and the number of waves, max over g of ceil(n(g) / a(g)), is the least possible.
 */
export function planCampaign(nodes: readonly NodeState[], options: PlanCampaignOptions): CampaignPlan {
  if (!ID_PATTERN.test(options.id)) {
    throw new InvalidCampaignSettingError(
      'id',
      options.id,
      'use 1 to 80 letters, digits, ".", "_", ":" or "-"',
    );
  }
  const groupBy = options.groupBy ?? 'cluster';
  if (groupBy.length === 0 || groupBy.length > 128) {
    throw new InvalidCampaignSettingError('group-by', groupBy, 'a tag key has 1 to 128 characters');
  }
  assertValidMaxUnavailable(options.maxUnavailable);
  const catalog = options.catalog ?? builtinCatalog();
  const byId = new Map(catalog.advisories.map((a) => [a.id, a]));
  const advisoryOf: AdvisoryLookup = (id) => byId.get(id);

  const newest = new Map<string, NodeState>();
  for (const state of nodes) {
    const seen = newest.get(state.node);
    if (seen === undefined || compareNewest(state, seen) < 0) newest.set(state.node, state);
  }
  const eligible = [...newest.values()].filter((s) =>
    (CAMPAIGN_STATUSES as readonly string[]).includes(s.status),
  );
  const planned = eligible.map((state) => planNode(state, groupBy, advisoryOf)).sort(comparePlanned);

  const members = new Map<string, PlannedNode[]>();
  for (const node of planned) {
    const list = members.get(node.group) ?? [];
    list.push(node);
    members.set(node.group, list);
  }
  const groups: CampaignGroup[] = [...members.keys()].sort(compareText).map((group) => {
    const count = (members.get(group) as PlannedNode[]).length;
    const known = options.groupSizes?.get(group);
    const size = known === undefined ? count : Math.max(count, Math.floor(known));
    const allowance = groupAllowance(options.maxUnavailable, size);
    return { group, planned: count, size, allowance, waves: Math.ceil(count / allowance) };
  });

  const waveCount = groups.reduce((max, g) => Math.max(max, g.waves), 0);
  const waves: CampaignWave[] = [];
  for (let k = 0; k < waveCount; k += 1) {
    const waveNodes: PlannedNode[] = [];
    const counts: { group: string; nodes: number }[] = [];
    for (const g of groups) {
      const slice = (members.get(g.group) as PlannedNode[]).slice(k * g.allowance, (k + 1) * g.allowance);
      if (slice.length === 0) continue;
      waveNodes.push(...slice);
      counts.push({ group: g.group, nodes: slice.length });
    }
    waves.push({ wave: k + 1, nodes: waveNodes.sort(comparePlanned), groups: counts });
  }

  const byUrgency = Object.fromEntries(URGENCIES.map((u) => [u, 0])) as Record<Urgency, number>;
  const byDisruption: Record<Disruption, number> = { reexec: 0, 'service-restart': 0, reboot: 0 };
  for (const node of planned) {
    byUrgency[node.urgency] += 1;
    byDisruption[node.disruption] += 1;
  }
  return {
    id: options.id,
    createdAt: options.now.toISOString(),
    settings: {
      groupBy,
      maxUnavailable: options.maxUnavailable,
      groupSize: options.groupSizes === undefined ? 'plan' : 'fleet',
      ...(options.selection === undefined ? {} : { selection: options.selection }),
    },
    sourceRunIds: [...new Set(planned.map((n) => n.runId))].sort(compareText),
    groups,
    waves,
    summary: {
      nodes: planned.length,
      waves: waves.length,
      byUrgency,
      byDisruption,
      drain: planned.filter((n) => n.drain).length,
      skipped: nodes.length - planned.length,
    },
  };
}

function planNode(state: NodeState, groupBy: string, advisoryOf: AdvisoryLookup): PlannedNode {
  const remedy = planNodeRemediation(state, advisoryOf);
  const group = Object.hasOwn(state.tags, groupBy) ? (state.tags[groupBy] as string) : NO_GROUP;
  return {
    node: state.node,
    ...(state.hostname === undefined ? {} : { hostname: state.hostname }),
    group,
    status: state.status,
    urgency: remedy.urgency,
    ...(remedy.severity === undefined ? {} : { severity: remedy.severity }),
    hangInProgress: remedy.hangInProgress,
    findings: state.findings.map((f) => f.id),
    pending: state.pending.map((p) => ({ id: p.id, action: p.action })),
    actions: remedy.actions,
    why: remedy.why,
    drain: remedy.drain,
    disruption: remedy.disruption,
    notes: remedy.notes,
    tags: state.tags,
    ...(state.facts.os === undefined ? {} : { os: state.facts.os }),
    ...(state.facts.uptimeSeconds === undefined ? {} : { uptimeSeconds: state.facts.uptimeSeconds }),
    lastSeen: state.lastSeen,
    runId: state.runId,
  };
}

/**
 * Newer first (the store's recency order); two states the store could not hold side by side (same
 * node, time, run and fingerprint) are still ordered, by content, so input order never decides.
 */
function compareNewest(a: NodeState, b: NodeState): number {
  const byRecency = compareRecency(a, b);
  if (byRecency !== 0) return byRecency;
  return compareText(JSON.stringify(a), JSON.stringify(b));
}

/** Urgency, then longer uptime (unknown last), then node id: a total order. */
export function comparePlanned(a: PlannedNode, b: PlannedNode): number {
  const ua = urgencyRank(a.urgency);
  const ub = urgencyRank(b.urgency);
  if (ua !== ub) return ua < ub ? -1 : 1;
  const ta = a.uptimeSeconds ?? -1;
  const tb = b.uptimeSeconds ?? -1;
  if (ta !== tb) return ta > tb ? -1 : 1;
  return compareText(a.node, b.node);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
