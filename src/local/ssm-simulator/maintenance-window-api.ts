import type { MaintenanceWindowSpec } from '../fleet/virtual-fleet.ts';
import { formatExecutionTime, nextCronExecutions } from './cron-schedule.ts';
import { decodePageToken, encodePageToken } from './pagination-token.ts';
import { keyValuesList, optionalInteger, optionalString, requiredString } from './request-fields.ts';
import { epochSeconds, type RequestHandler, type SimulatorContext } from './simulator-context.ts';
import { WireError } from './wire-error.ts';

/**
 * Maintenance windows of the virtual fleet (one per cluster targeting `tag:cluster=<name>`, and
 * one targeting explicit InstanceIds). Read-only; next runs are computed from the injected clock.
 * As on AWS, tag targets are returned as registered, never expanded into nodes
 * (research/anchors.md A6).
 */

const WINDOW_ID_PATTERN = /^mw-[0-9a-f]{17}$/;

export const describeMaintenanceWindows: RequestHandler = (context, body) => {
  const filters = keyValuesList(body, 'Filters') ?? [];
  for (const f of filters) {
    if (f.key !== 'Name' && f.key !== 'Enabled')
      throw new WireError('ValidationException', `Filter key ${f.key} is not valid.`);
  }
  const windows = context.fleet.maintenanceWindows.filter((w) =>
    filters.every((f) => (f.key === 'Name' ? f.values.includes(w.name) : f.values.includes('true'))),
  );
  const { page, nextToken } = paginate(body, windows, 10, 100, `dmw:${JSON.stringify(filters)}`);
  const now = context.clock.now();
  return {
    WindowIdentities: page.map((w) => ({
      WindowId: w.windowId,
      Name: w.name,
      Description: w.description,
      Enabled: true,
      Duration: w.durationHours,
      Cutoff: w.cutoffHours,
      Schedule: w.schedule,
      ScheduleTimezone: w.scheduleTimezone,
      NextExecutionTime: nextExecutionTime(w, now),
    })),
    ...nextToken,
  };
};

export const getMaintenanceWindow: RequestHandler = (context, body) => {
  const window = windowById(context, requiredString(body, 'WindowId'));
  const now = context.clock.now();
  return {
    WindowId: window.windowId,
    Name: window.name,
    Description: window.description,
    Schedule: window.schedule,
    ScheduleTimezone: window.scheduleTimezone,
    NextExecutionTime: nextExecutionTime(window, now),
    Duration: window.durationHours,
    Cutoff: window.cutoffHours,
    AllowUnassociatedTargets: false,
    Enabled: true,
    CreatedDate: epochSeconds(Date.UTC(2023, 0, 9, 9, 30)),
    ModifiedDate: epochSeconds(Date.UTC(2024, 5, 3, 14, 5)),
  };
};

export const describeMaintenanceWindowTargets: RequestHandler = (context, body) => {
  const window = windowById(context, requiredString(body, 'WindowId'));
  const filters = keyValuesList(body, 'Filters') ?? [];
  for (const f of filters) {
    if (!['Type', 'WindowTargetId', 'OwnerInformation'].includes(f.key)) {
      throw new WireError('ValidationException', `Filter key ${f.key} is not valid.`);
    }
  }
  const matches = filters.every((f) =>
    f.key === 'Type'
      ? f.values.includes('INSTANCE')
      : f.key === 'WindowTargetId'
        ? f.values.includes(window.target.windowTargetId)
        : false,
  );
  const { page, nextToken } = paginate(body, matches ? [window] : [], 10, 100, `dmwt:${window.windowId}`);
  return {
    Targets: page.map((w) => ({
      WindowId: w.windowId,
      WindowTargetId: w.target.windowTargetId,
      ResourceType: 'INSTANCE',
      Targets: [{ Key: w.target.key, Values: w.target.values }],
      Name: `${w.name}-targets`,
      Description:
        w.target.key === 'InstanceIds'
          ? 'Registered nodes'
          : `Nodes tagged ${w.target.key.slice(4)}=${w.name}`,
    })),
    ...nextToken,
  };
};

/**
 * Upcoming runs of one window (WindowId), or of every window registered with the given targets
 * (Targets + ResourceType INSTANCE), soonest first.
 */
export const describeMaintenanceWindowSchedule: RequestHandler = (context, body) => {
  const windowId = optionalString(body, 'WindowId');
  const maxResults = optionalInteger(body, 'MaxResults', 1, 1000) ?? 10;
  const windows = windowId !== undefined ? [windowById(context, windowId)] : windowsForTargets(context, body);
  const token = optionalString(body, 'NextToken');
  const scope = `dmws:${windowId ?? windows.map((w) => w.windowId).join(',')}`;
  const from = token === undefined ? 0 : (decodePageToken(token, scope)[0] as number);
  const now = context.clock.now();
  const runs = windows
    .flatMap((w) =>
      nextCronExecutions(w.schedule, w.scheduleTimezone, now, from + maxResults + 1).map((at) => ({ w, at })),
    )
    .sort((a, b) => a.at - b.at || a.w.name.localeCompare(b.w.name))
    .slice(from, from + maxResults + 1);
  const page = runs.slice(0, maxResults);
  return {
    ScheduledWindowExecutions: page.map(({ w, at }) => ({
      WindowId: w.windowId,
      Name: w.name,
      ExecutionTime: formatExecutionTime(at, w.scheduleTimezone),
    })),
    ...(runs.length > maxResults
      ? { NextToken: encodePageToken({ scope, position: [from + maxResults] }) }
      : {}),
  };
};

export const describeMaintenanceWindowsForTarget: RequestHandler = (context, body) => {
  const windows = windowsForTargets(context, body);
  const { page, nextToken } = paginate(body, windows, 1, 100, `dmwft:${JSON.stringify(body.Targets)}`);
  return { WindowIdentities: page.map((w) => ({ WindowId: w.windowId, Name: w.name })), ...nextToken };
};

function windowById(context: SimulatorContext, windowId: string): MaintenanceWindowSpec {
  if (!WINDOW_ID_PATTERN.test(windowId)) {
    throw new WireError(
      'ValidationException',
      `1 validation error detected: Value '${windowId}' at 'windowId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^mw-[0-9a-f]{17}$`,
    );
  }
  const window = context.fleet.maintenanceWindows.find((w) => w.windowId === windowId);
  if (window === undefined)
    throw new WireError('DoesNotExistException', `Maintenance window ${windowId} does not exist`);
  return window;
}

/** Windows whose registered target names one of the given instance ids or tag values. */
function windowsForTargets(
  context: SimulatorContext,
  body: Readonly<Record<string, unknown>>,
): MaintenanceWindowSpec[] {
  const targets = keyValuesList(body, 'Targets');
  const resourceType = optionalString(body, 'ResourceType');
  if (targets === undefined || targets.length === 0 || resourceType === undefined) {
    throw new WireError('ValidationException', 'Specify WindowId, or Targets with ResourceType.');
  }
  if (resourceType !== 'INSTANCE') return [];
  return context.fleet.maintenanceWindows.filter((w) =>
    targets.some((t) => t.key === w.target.key && t.values.some((v) => w.target.values.includes(v))),
  );
}

function nextExecutionTime(window: MaintenanceWindowSpec, now: number): string {
  const [next] = nextCronExecutions(window.schedule, window.scheduleTimezone, now, 1);
  return next === undefined ? '' : formatExecutionTime(next, window.scheduleTimezone);
}

function paginate<T>(
  body: Readonly<Record<string, unknown>>,
  items: readonly T[],
  min: number,
  max: number,
  scope: string,
): { page: T[]; nextToken: { NextToken?: string } } {
  const maxResults = optionalInteger(body, 'MaxResults', min, max) ?? max;
  const token = optionalString(body, 'NextToken');
  const from = token === undefined ? 0 : (decodePageToken(token, scope)[0] as number);
  const page = items.slice(from, from + maxResults);
  const next =
    from + maxResults < items.length
      ? { NextToken: encodePageToken({ scope, position: [from + maxResults] }) }
      : {};
  return { page, nextToken: next };
}
