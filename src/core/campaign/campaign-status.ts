import type { NodeState } from '../store/node-state.ts';
import type { VerdictStatus } from '../verdict.ts';
import type { CampaignPlan, PlannedNode } from './campaign-plan.ts';

/**
 * Where a planned node stands now, judged on its newest state:
 * - `not-rescanned`: no scan has seen it since the plan's state (or no state is left at all);
 * - `remediated`: a later scan found it COMPLIANT;
 * - `at-risk`, `pending-reboot`: a later scan still found it so (AT_RISK -> PENDING_REBOOT is progress:
 *   the package is fixed, the re-exec or reboot is still to come);
 * - `unreachable`, `unknown`: a later scan could not judge it.
 */
export const NODE_PROGRESS = [
  'remediated',
  'at-risk',
  'pending-reboot',
  'unreachable',
  'unknown',
  'not-rescanned',
] as const;
export type NodeProgress = (typeof NODE_PROGRESS)[number];

export type ProgressCounts = Readonly<Record<NodeProgress, number>>;

export interface NodeProgressEntry {
  readonly wave: number;
  readonly node: string;
  readonly hostname?: string;
  readonly group: string;
  readonly plannedStatus: VerdictStatus;
  readonly progress: NodeProgress;
  /** The newest state's status and time, when there is a state. */
  readonly status?: VerdictStatus;
  readonly lastSeen?: string;
  /** Advisory ids still found (rescanned nodes only). */
  readonly findings: readonly string[];
}

/** `done`: every node remediated; `not-started`: no node rescanned yet; else `in-progress`. */
export type WaveState = 'done' | 'in-progress' | 'not-started';

export interface WaveProgress {
  readonly wave: number;
  readonly nodes: number;
  readonly state: WaveState;
  readonly counts: ProgressCounts;
}

export interface CampaignStatus {
  readonly campaign: {
    readonly id: string;
    readonly createdAt: string;
    readonly nodes: number;
    readonly waves: number;
    readonly groupBy: string;
  };
  readonly asOf: string;
  readonly overall: ProgressCounts & {
    readonly nodes: number;
    /** Remediated share, in percent with one decimal. */
    readonly percentRemediated: number;
    /** Every planned node remediated and no node outside the plan needs attention. */
    readonly clean: boolean;
    /** The first wave not done, if any: where the campaign stands. */
    readonly currentWave?: number;
  };
  readonly waves: readonly WaveProgress[];
  /** Every planned node, in plan order. */
  readonly nodes: readonly NodeProgressEntry[];
  /** Nodes needing attention now (AT_RISK / PENDING_REBOOT) that the plan does not hold: plan again. */
  readonly outsidePlan: { readonly count: number; readonly nodes: readonly string[] };
}

/** Nodes listed by id in `outsidePlan` (the count is exact). */
export const OUTSIDE_PLAN_LISTED = 50;

export function emptyProgressCounts(): Record<NodeProgress, number> {
  return Object.fromEntries(NODE_PROGRESS.map((p) => [p, 0])) as Record<NodeProgress, number>;
}

/** A node's progress: rescanned means a state newer than the one the plan was made from. */
export function judgeProgress(planned: PlannedNode, current: NodeState | undefined): NodeProgress {
  if (current === undefined || current.lastSeen <= planned.lastSeen) return 'not-rescanned';
  switch (current.status) {
    case 'COMPLIANT':
      return 'remediated';
    case 'AT_RISK':
      return 'at-risk';
    case 'PENDING_REBOOT':
      return 'pending-reboot';
    case 'UNREACHABLE':
      return 'unreachable';
    default:
      return 'unknown';
  }
}

/**
 * Progress of a plan against the newest node states (`states`, by node; a missing entry means no
 * unexpired state) and the nodes needing attention now (`attention`, for nodes outside the plan).
 * Pure: the caller reads the store.
 */
export function computeCampaignStatus(
  plan: CampaignPlan,
  states: ReadonlyMap<string, NodeState | undefined>,
  attention: readonly NodeState[],
  now: Date,
): CampaignStatus {
  const overall = emptyProgressCounts();
  const waves: WaveProgress[] = [];
  const nodes: NodeProgressEntry[] = [];
  const planned = new Set<string>();
  for (const wave of plan.waves) {
    const counts = emptyProgressCounts();
    for (const node of wave.nodes) {
      planned.add(node.node);
      const current = states.get(node.node);
      const progress = judgeProgress(node, current);
      counts[progress] += 1;
      overall[progress] += 1;
      const rescanned = progress !== 'not-rescanned';
      nodes.push({
        wave: wave.wave,
        node: node.node,
        ...(node.hostname === undefined ? {} : { hostname: node.hostname }),
        group: node.group,
        plannedStatus: node.status,
        progress,
        ...(current === undefined ? {} : { status: current.status, lastSeen: current.lastSeen }),
        findings: rescanned && current !== undefined ? current.findings.map((f) => f.id) : [],
      });
    }
    const state: WaveState =
      counts.remediated === wave.nodes.length
        ? 'done'
        : counts['not-rescanned'] === wave.nodes.length
          ? 'not-started'
          : 'in-progress';
    waves.push({ wave: wave.wave, nodes: wave.nodes.length, state, counts });
  }
  const outside = attention
    .filter((s) => (s.status === 'AT_RISK' || s.status === 'PENDING_REBOOT') && !planned.has(s.node))
    .map((s) => s.node);
  const total = nodes.length;
  const currentWave = waves.find((w) => w.state !== 'done')?.wave;
  return {
    campaign: {
      id: plan.id,
      createdAt: plan.createdAt,
      nodes: plan.summary.nodes,
      waves: plan.waves.length,
      groupBy: plan.settings.groupBy,
    },
    asOf: now.toISOString(),
    overall: {
      ...overall,
      nodes: total,
      percentRemediated: total === 0 ? 100 : Math.floor((overall.remediated * 1000) / total) / 10,
      clean: overall.remediated === total && outside.length === 0,
      ...(currentWave === undefined ? {} : { currentWave }),
    },
    waves,
    nodes,
    outsidePlan: { count: outside.length, nodes: outside.slice(0, OUTSIDE_PLAN_LISTED) },
  };
}
