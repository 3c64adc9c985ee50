import { AppError } from '../errors.ts';
import type { FleetStore } from '../store/fleet-store.ts';
import type { NodeState } from '../store/node-state.ts';
import {
  type AdvisorySeverityLookup,
  type AtRiskEntry,
  compareAtRisk,
  toAtRiskEntry,
} from './at-risk-entry.ts';
import { type AtRiskFilter, matchesAtRiskFilter } from './at-risk-filter.ts';
import {
  describeTargetFilter,
  executionTimeUtc,
  type MaintenanceWindow,
  type MaintenanceWindowDirectory,
} from './maintenance-window.ts';
import { planTagLookups, selectWindowNodes, tagLookupId, type UnresolvedTarget } from './window-targets.ts';

export interface AtRiskQuery {
  readonly filter: AtRiskFilter;
  /** A maintenance window id (`mw-…`) or name: keep only the nodes it reaches. */
  readonly window?: string;
  readonly now: Date;
}

export interface AtRiskDeps {
  readonly store: Pick<FleetStore, 'listCurrentAttention'>;
  /** Needed only for `window`. */
  readonly windows?: MaintenanceWindowDirectory;
  readonly severityOf?: AdvisorySeverityLookup;
}

/** The window part of an answer: when it runs next and how far its targets could be expanded. */
export interface WindowReport {
  readonly windowId: string;
  readonly name: string;
  readonly description?: string;
  readonly schedule?: string;
  readonly scheduleTimezone?: string;
  readonly durationHours?: number;
  readonly cutoffHours?: number;
  /** As SSM gives it, in the window's own time zone. */
  readonly nextExecutionTime?: string;
  readonly nextExecutionUtc?: string;
  /** Each registered target, its filters joined with AND. */
  readonly targets: readonly string[];
  /** Targets whose nodes could not be listed: the answer may miss nodes when this is not empty. */
  readonly unresolvedTargets: readonly UnresolvedTarget[];
  readonly complete: boolean;
  /** Account-wide tag lookups made for tag keys the store does not keep. */
  readonly tagLookups: number;
  readonly nodes: number;
}

export interface AtRiskResult {
  /** Most urgent first. */
  readonly entries: readonly AtRiskEntry[];
  /** The stored states behind `entries`, same order (what a campaign plan is made from). */
  readonly states: readonly NodeState[];
  readonly window?: WindowReport;
  /** The scan runs read: the latest COMPLETE one (if any) and every later one. */
  readonly completeRun?: { readonly runId: string; readonly finishedAt?: string };
  readonly newerRunIds: readonly string[];
}

/**
 * The at-risk list: the current attention set (the sparse index, so the cost follows the number of
 * nodes needing attention, not the fleet), filtered, optionally cut to one maintenance window's
 * reach, most urgent first. The window is resolved first, so a mistyped name fails before any read.
 */
export async function queryAtRisk(deps: AtRiskDeps, query: AtRiskQuery): Promise<AtRiskResult> {
  let window: MaintenanceWindow | undefined;
  if (query.window !== undefined) {
    if (deps.windows === undefined) {
      throw new AppError(
        'window.unavailable',
        'maintenance windows cannot be read here (no SSM access configured)',
      );
    }
    window = await deps.windows.findWindow(query.window);
  }
  const { runs, nodes } = await deps.store.listCurrentAttention({
    now: query.now,
    statuses: query.filter.statuses,
  });
  let entries = nodes
    .map((state) => toAtRiskEntry(state, deps.severityOf))
    .filter((entry) => matchesAtRiskFilter(entry, query.filter));

  let report: WindowReport | undefined;
  if (window !== undefined && deps.windows !== undefined) {
    const lookups = planTagLookups(window.targets, entries);
    const answers = new Map<string, ReadonlySet<string>>();
    for (const lookup of lookups) {
      answers.set(tagLookupId(lookup), await deps.windows.findTaggedNodes(lookup.key, lookup.values));
    }
    const selection = selectWindowNodes(window.targets, entries, answers);
    entries = entries.filter((e) => selection.nodes.has(e.node));
    report = windowReport(window, selection.unresolved, lookups.length, entries.length);
  }
  entries.sort(compareAtRisk);
  const byNode = new Map(nodes.map((state) => [state.node, state]));
  return {
    entries,
    states: entries.map((e) => byNode.get(e.node) as NodeState),
    ...(report === undefined ? {} : { window: report }),
    ...(runs.complete === undefined
      ? {}
      : {
          completeRun: {
            runId: runs.complete.runId,
            ...(runs.complete.finishedAt === undefined ? {} : { finishedAt: runs.complete.finishedAt }),
          },
        }),
    newerRunIds: runs.newer.map((r) => r.runId),
  };
}

function windowReport(
  window: MaintenanceWindow,
  unresolved: readonly UnresolvedTarget[],
  tagLookups: number,
  nodes: number,
): WindowReport {
  const utc = executionTimeUtc(window.nextExecutionTime);
  return {
    windowId: window.windowId,
    name: window.name,
    ...(window.description === undefined ? {} : { description: window.description }),
    ...(window.schedule === undefined ? {} : { schedule: window.schedule }),
    ...(window.scheduleTimezone === undefined ? {} : { scheduleTimezone: window.scheduleTimezone }),
    ...(window.durationHours === undefined ? {} : { durationHours: window.durationHours }),
    ...(window.cutoffHours === undefined ? {} : { cutoffHours: window.cutoffHours }),
    ...(window.nextExecutionTime === undefined ? {} : { nextExecutionTime: window.nextExecutionTime }),
    ...(utc === undefined ? {} : { nextExecutionUtc: utc }),
    targets: window.targets.map((t) => t.filters.map(describeTargetFilter).join(' AND ') || t.resourceType),
    unresolvedTargets: unresolved,
    complete: unresolved.length === 0,
    tagLookups,
    nodes,
  };
}
