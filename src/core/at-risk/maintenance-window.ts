/**
 * A maintenance window as the at-risk list needs it, and the port that finds one. SSM's own
 * shapes stay in src/adapters/ssm/maintenance-windows.ts.
 */

/** One `Targets` entry of a registered window target: `InstanceIds`, `tag:<key>`, `tag-key`, `resource-groups:Name`... */
export interface WindowTargetFilter {
  readonly key: string;
  readonly values: readonly string[];
}

/** One registered target of a window; its filters are ANDed, the window's targets are ORed. */
export interface WindowTarget {
  readonly windowTargetId: string;
  /** `INSTANCE` or `RESOURCE_GROUP`. */
  readonly resourceType: string;
  readonly name?: string;
  readonly filters: readonly WindowTargetFilter[];
}

export interface MaintenanceWindow {
  readonly windowId: string;
  readonly name: string;
  readonly description?: string;
  /** e.g. `cron(0 2 ? * TUE *)`. */
  readonly schedule?: string;
  readonly scheduleTimezone?: string;
  readonly durationHours?: number;
  readonly cutoffHours?: number;
  readonly enabled?: boolean;
  /** As SSM gives it, in the window's time zone (`2025-01-07T02:00Z`, `2025-01-08T03:00-05:00`). */
  readonly nextExecutionTime?: string;
  readonly targets: readonly WindowTarget[];
}

/** The maintenance windows of one account and region (SSM in AWS, the simulator locally). */
export interface MaintenanceWindowDirectory {
  /**
   * The window with this id (`mw-` + 17 hex) or, otherwise, this exact name, with its targets and
   * next run. Throws MaintenanceWindowNotFoundError naming close names when there is none, and
   * AmbiguousWindowNameError when several windows share the name.
   */
  findWindow(idOrName: string): Promise<MaintenanceWindow>;
  /**
   * Ids of the managed nodes (`i-…`, `mi-…`) tagged `key` with one of `values` now (any value when
   * `values` is empty), from the account's tags rather than the store's copy.
   */
  findTaggedNodes(key: string, values: readonly string[]): Promise<ReadonlySet<string>>;
}

/** `tag:cluster=prod-eu-1,prod-eu-2` — how a filter reads in messages and tables. */
export function describeTargetFilter(filter: WindowTargetFilter): string {
  return `${filter.key}=${filter.values.join(',')}`;
}

/** True for a window id as SSM writes them; anything else is looked up as a name. */
export function isWindowId(text: string): boolean {
  return /^mw-[0-9a-f]{17}$/.test(text);
}

/**
 * NextExecutionTime carries the window's own offset (`2025-01-08T03:00-05:00`) or none at all;
 * the UTC instant lets an operator in another zone read it. Undefined when it does not parse.
 */
export function executionTimeUtc(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
