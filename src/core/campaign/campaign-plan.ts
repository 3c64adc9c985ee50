import type { Component } from '../advisory/schema.ts';
import type { Severity, VerdictStatus } from '../verdict.ts';

/**
 * A reboot-upgrade campaign: the at-risk nodes of one moment, put in waves so that no group (a
 * cluster, by default) loses more than its allowance at once, most urgent first, with what to do
 * on each node and why. Plans are data: saved to the store, printed, compared with later scans.
 */

/** How many nodes of one group may be out of service in one wave. */
export type MaxUnavailable = { readonly count: number } | { readonly percent: number };

/**
 * What a group's size means for a percent allowance:
 * - `plan`: the group's nodes in this plan (the default: needs no extra read, and never allows
 *   more than a `fleet` count would);
 * - `fleet`: every node of the group the store knows (Kubernetes' maxUnavailable semantics: a share
 *   of the cluster's capacity), when the caller supplies `groupSizes`.
 */
export type GroupSizeBasis = 'plan' | 'fleet';

/** Most urgent first: a hang in progress, then severity, then nodes that need only a re-exec/reboot. */
export const URGENCIES = ['hang', 'critical', 'high', 'medium', 'low', 'unrated', 'pending'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const ACTION_KINDS = [
  'daemon-reexec',
  'upgrade',
  'configure',
  'restart-service',
  'reboot',
  'review',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** One step on one node, in the order given. */
export interface PlannedAction {
  readonly action: ActionKind;
  /** `upgrade`: the components to upgrade (their distro packages). */
  readonly components?: readonly Component[];
  /** `restart-service`: systemd units, e.g. `containerd`, `kubelet`. */
  readonly services?: readonly string[];
  /** The advisories this step is for. */
  readonly advisories: readonly string[];
  /** Why this step is where it is, when that is not obvious (e.g. a re-exec before the upgrade). */
  readonly note?: string;
}

/** How much a node's steps take out of service (the worst of its steps). */
export type Disruption = 'reexec' | 'service-restart' | 'reboot';

export interface PlannedNode {
  readonly node: string;
  readonly hostname?: string;
  /** The value of the group tag, or `(none)`. */
  readonly group: string;
  readonly status: VerdictStatus;
  readonly urgency: Urgency;
  readonly severity?: Severity;
  readonly hangInProgress: boolean;
  readonly findings: readonly string[];
  readonly pending: readonly { readonly id: string; readonly action: 'daemon-reexec' | 'reboot' }[];
  readonly actions: readonly PlannedAction[];
  /** One sentence naming the advisories and what the steps achieve. */
  readonly why: string;
  /** Cordon and drain before the steps (Kubernetes nodes): a reboot, a runtime or kubelet restart. */
  readonly drain: boolean;
  readonly disruption: Disruption;
  readonly notes: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly os?: string;
  readonly uptimeSeconds?: number;
  /** The state the plan was made from: a later scan of the node shows progress. */
  readonly lastSeen: string;
  readonly runId: string;
}

export interface WaveGroupCount {
  readonly group: string;
  readonly nodes: number;
}

export interface CampaignWave {
  /** 1-based. */
  readonly wave: number;
  readonly nodes: readonly PlannedNode[];
  /** Nodes per group in this wave, groups sorted by name. */
  readonly groups: readonly WaveGroupCount[];
}

export interface CampaignGroup {
  readonly group: string;
  /** Nodes of the group in the plan. */
  readonly planned: number;
  /** The size the allowance was computed on (see GroupSizeBasis). */
  readonly size: number;
  /** Nodes of the group allowed in one wave. */
  readonly allowance: number;
  readonly waves: number;
}

export interface CampaignSettings {
  readonly groupBy: string;
  readonly maxUnavailable: MaxUnavailable;
  readonly groupSize: GroupSizeBasis;
  /** What the node list was cut to before planning (for the record). */
  readonly selection?: {
    readonly statuses?: readonly VerdictStatus[];
    readonly minSeverity?: Severity;
    readonly tags?: readonly { readonly key: string; readonly values: readonly string[] }[];
    readonly window?: {
      readonly windowId: string;
      readonly name: string;
      readonly nextExecutionTime?: string;
    };
  };
}

export interface CampaignPlan {
  readonly id: string;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly settings: CampaignSettings;
  /** Scan runs the node states came from. */
  readonly sourceRunIds: readonly string[];
  readonly groups: readonly CampaignGroup[];
  readonly waves: readonly CampaignWave[];
  readonly summary: {
    readonly nodes: number;
    readonly waves: number;
    readonly byUrgency: Readonly<Record<Urgency, number>>;
    readonly byDisruption: Readonly<Record<Disruption, number>>;
    readonly drain: number;
    /** Input states left out: not AT_RISK/PENDING_REBOOT, or a duplicate of a node already planned. */
    readonly skipped: number;
  };
}

/** Group of nodes that lack the group tag. */
export const NO_GROUP = '(none)';

export function urgencyRank(urgency: Urgency): number {
  return URGENCIES.indexOf(urgency);
}

export function describeMaxUnavailable(max: MaxUnavailable): string {
  return 'percent' in max ? `${max.percent}%` : String(max.count);
}
