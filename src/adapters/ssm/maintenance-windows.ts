import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  DescribeMaintenanceWindowScheduleCommand,
  DescribeMaintenanceWindowsCommand,
  DescribeMaintenanceWindowTargetsCommand,
  GetMaintenanceWindowCommand,
  type GetMaintenanceWindowCommandOutput,
  type MaintenanceWindowIdentity,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { AmbiguousWindowNameError } from '../../core/at-risk/ambiguous-window-name-error.ts';
import { closestNames } from '../../core/at-risk/closest-names.ts';
import {
  isWindowId,
  type MaintenanceWindow,
  type MaintenanceWindowDirectory,
  type WindowTarget,
} from '../../core/at-risk/maintenance-window.ts';
import { MaintenanceWindowNotFoundError } from '../../core/at-risk/maintenance-window-not-found-error.ts';
import { nodeIdFromArn, nodeTagPages } from '../tagging/tag-target-directory.ts';
import { translateSsmError } from './translate-ssm-error.ts';

export interface SsmMaintenanceWindowsOptions {
  /** Built by createSsmClient (adaptive retry, 10 attempts). */
  readonly ssm: SSMClient;
  /** Built by createTaggingClient; used for tag keys the store does not keep. */
  readonly tagging: ResourceGroupsTaggingAPIClient;
}

/** DescribeMaintenanceWindows / ...Targets page sizes: the services' maxima. */
const WINDOWS_PER_PAGE = 100;
const TARGETS_PER_PAGE = 100;

/**
 * Maintenance windows from SSM (research/anchors.md A6): a window by id (GetMaintenanceWindow) or
 * by exact name (DescribeMaintenanceWindows, Filters Name), its registered targets
 * (DescribeMaintenanceWindowTargets, returned as registered: tag targets are not expanded), and
 * its next run (NextExecutionTime, or DescribeMaintenanceWindowSchedule when SSM leaves it out).
 * Tag lookups for keys the store does not keep go to the Resource Groups Tagging API.
 */
export class SsmMaintenanceWindows implements MaintenanceWindowDirectory {
  private readonly ssm: SSMClient;
  private readonly tagging: ResourceGroupsTaggingAPIClient;

  constructor(options: SsmMaintenanceWindowsOptions) {
    this.ssm = options.ssm;
    this.tagging = options.tagging;
  }

  async findWindow(idOrName: string): Promise<MaintenanceWindow> {
    const windowId = isWindowId(idOrName) ? idOrName : await this.windowIdByName(idOrName);
    const window = await this.getWindow(windowId, idOrName);
    const targets = await this.listTargets(windowId);
    const next = window.NextExecutionTime || (await this.nextScheduledRun(windowId));
    return {
      windowId,
      name: window.Name ?? windowId,
      ...(window.Description ? { description: window.Description } : {}),
      ...(window.Schedule ? { schedule: window.Schedule } : {}),
      ...(window.ScheduleTimezone ? { scheduleTimezone: window.ScheduleTimezone } : {}),
      ...(window.Duration === undefined ? {} : { durationHours: window.Duration }),
      ...(window.Cutoff === undefined ? {} : { cutoffHours: window.Cutoff }),
      ...(window.Enabled === undefined ? {} : { enabled: window.Enabled }),
      ...(next ? { nextExecutionTime: next } : {}),
      targets,
    };
  }

  async findTaggedNodes(key: string, values: readonly string[]): Promise<ReadonlySet<string>> {
    const nodes = new Set<string>();
    const filter = values.length === 0 ? { Key: key } : { Key: key, Values: [...values] };
    for await (const mappings of nodeTagPages(this.tagging, [filter])) {
      for (const mapping of mappings) {
        const id = nodeIdFromArn(mapping.ResourceARN);
        if (id !== undefined) nodes.add(id);
      }
    }
    return nodes;
  }

  private async windowIdByName(name: string): Promise<string> {
    const matches = await this.describeWindows([{ Key: 'Name', Values: [name] }]);
    if (matches.length === 1) return matches[0]?.WindowId as string;
    if (matches.length > 1)
      throw new AmbiguousWindowNameError(
        name,
        matches.map((w) => w.WindowId ?? '?'),
      );
    throw new MaintenanceWindowNotFoundError(name, await this.suggestions(name));
  }

  private async getWindow(windowId: string, asked: string): Promise<GetMaintenanceWindowCommandOutput> {
    try {
      return await this.ssm.send(new GetMaintenanceWindowCommand({ WindowId: windowId }));
    } catch (error) {
      if (error instanceof Error && error.name === 'DoesNotExistException') {
        throw new MaintenanceWindowNotFoundError(asked, await this.suggestions(asked), { cause: error });
      }
      throw translateSsmError(error, 'GetMaintenanceWindow');
    }
  }

  /** Close names (or, for a mistyped id, close ids), each shown as `name (id)`. */
  private async suggestions(asked: string): Promise<string[]> {
    const all = await this.describeWindows([]);
    const label = new Map<string, string>();
    for (const w of all) {
      if (w.WindowId === undefined) continue;
      const text = `${w.Name ?? '?'} (${w.WindowId})`;
      label.set(w.WindowId, text);
      if (w.Name !== undefined && !label.has(w.Name)) label.set(w.Name, text);
    }
    const close = closestNames(asked, [...label.keys()]);
    return [...new Set(close.map((k) => label.get(k) as string))];
  }

  private async describeWindows(
    filters: { Key: string; Values: string[] }[],
  ): Promise<MaintenanceWindowIdentity[]> {
    const windows: MaintenanceWindowIdentity[] = [];
    let token: string | undefined;
    do {
      try {
        const page = await this.ssm.send(
          new DescribeMaintenanceWindowsCommand({
            ...(filters.length === 0 ? {} : { Filters: filters }),
            MaxResults: WINDOWS_PER_PAGE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        );
        windows.push(...(page.WindowIdentities ?? []));
        token = page.NextToken || undefined;
      } catch (error) {
        throw translateSsmError(error, 'DescribeMaintenanceWindows');
      }
    } while (token !== undefined);
    return windows;
  }

  private async listTargets(windowId: string): Promise<WindowTarget[]> {
    const targets: WindowTarget[] = [];
    let token: string | undefined;
    do {
      try {
        const page = await this.ssm.send(
          new DescribeMaintenanceWindowTargetsCommand({
            WindowId: windowId,
            MaxResults: TARGETS_PER_PAGE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        );
        for (const t of page.Targets ?? []) {
          targets.push({
            windowTargetId: t.WindowTargetId ?? '?',
            resourceType: t.ResourceType ?? 'INSTANCE',
            ...(t.Name ? { name: t.Name } : {}),
            filters: (t.Targets ?? []).map((f) => ({ key: f.Key ?? '', values: f.Values ?? [] })),
          });
        }
        token = page.NextToken || undefined;
      } catch (error) {
        throw translateSsmError(error, 'DescribeMaintenanceWindowTargets');
      }
    } while (token !== undefined);
    return targets;
  }

  private async nextScheduledRun(windowId: string): Promise<string | undefined> {
    try {
      const page = await this.ssm.send(
        new DescribeMaintenanceWindowScheduleCommand({ WindowId: windowId, MaxResults: 1 }),
      );
      return page.ScheduledWindowExecutions?.[0]?.ExecutionTime || undefined;
    } catch (error) {
      throw translateSsmError(error, 'DescribeMaintenanceWindowSchedule');
    }
  }
}
