import {
  DescribeMaintenanceWindowScheduleCommand,
  DescribeMaintenanceWindowsCommand,
  DescribeMaintenanceWindowsForTargetCommand,
  DescribeMaintenanceWindowTargetsCommand,
  GetMaintenanceWindowCommand,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaintenanceWindowSpec } from '../../../src/local/fleet/virtual-fleet.ts';
import { type Harness, startHarness, T0 } from './simulator-harness.ts';

describe('maintenance windows', () => {
  let h: Harness;
  const windowNamed = (name: string) =>
    h.fleet.maintenanceWindows.find((w) => w.name === name) as MaintenanceWindowSpec;

  beforeAll(async () => {
    h = await startHarness({ nodes: 200 });
  });
  afterAll(() => h.stop());

  it('has one window per cluster and one on explicit instance ids', async () => {
    const all = await h.ssm.send(new DescribeMaintenanceWindowsCommand({}));
    expect(all.WindowIdentities?.map((w) => w.Name)).toEqual([...h.fleet.clusters, 'canary-nodes']);
    const one = await h.ssm.send(
      new DescribeMaintenanceWindowsCommand({ Filters: [{ Key: 'Name', Values: ['staging'] }] }),
    );
    expect(one.WindowIdentities).toHaveLength(1);
    expect(one.WindowIdentities?.[0]).toMatchObject({
      Name: 'staging',
      Schedule: 'cron(0 10 ? * MON-FRI *)',
      Enabled: true,
    });
  });

  it('computes the next run from the injected clock, in the window time zone', async () => {
    // T0 is Monday 2025-01-06 12:00 UTC.
    const get = (name: string) =>
      h.ssm.send(new GetMaintenanceWindowCommand({ WindowId: windowNamed(name).windowId }));
    expect((await get('prod-eu-1')).NextExecutionTime).toBe('2025-01-07T02:00Z');
    expect((await get('prod-us-1')).NextExecutionTime).toBe('2025-01-08T03:00-05:00');
    expect((await get('onprem-dc1')).NextExecutionTime).toBe('2025-01-10T22:00+01:00');
    expect((await get('staging')).NextExecutionTime).toBe('2025-01-07T10:00Z');
    h.clock.set(Date.UTC(2025, 6, 1, 0, 0));
    expect((await get('prod-us-1')).NextExecutionTime).toBe('2025-07-02T03:00-04:00');
    expect(Date.parse('2025-07-02T03:00-04:00')).toBe(Date.UTC(2025, 6, 2, 7, 0));
    h.clock.set(T0);
  });

  it('returns tag targets as registered, without expanding them', async () => {
    const w = windowNamed('batch');
    const targets = await h.ssm.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId: w.windowId }));
    expect(targets.Targets).toEqual([
      expect.objectContaining({
        WindowId: w.windowId,
        WindowTargetId: w.target.windowTargetId,
        ResourceType: 'INSTANCE',
        Targets: [{ Key: 'tag:cluster', Values: ['batch'] }],
      }),
    ]);
  });

  it('targets explicit instance ids in the canary window', async () => {
    const w = windowNamed('canary-nodes');
    const targets = await h.ssm.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId: w.windowId }));
    const ids = targets.Targets?.[0]?.Targets?.[0];
    expect(ids?.Key).toBe('InstanceIds');
    expect(ids?.Values?.length).toBeGreaterThan(3);
    for (const id of ids?.Values ?? []) expect(h.fleet.byId(id)).toBeDefined();
    const forTarget = await h.ssm.send(
      new DescribeMaintenanceWindowsForTargetCommand({
        ResourceType: 'INSTANCE',
        Targets: [{ Key: 'InstanceIds', Values: [ids?.Values?.[0] as string] }],
      }),
    );
    expect(forTarget.WindowIdentities?.map((x) => x.Name)).toEqual(['canary-nodes']);
  });

  it('lists upcoming runs soonest first, a page at a time', async () => {
    const w = windowNamed('staging');
    const first = await h.ssm.send(
      new DescribeMaintenanceWindowScheduleCommand({ WindowId: w.windowId, MaxResults: 3 }),
    );
    expect(first.ScheduledWindowExecutions).toEqual([
      { WindowId: w.windowId, Name: 'staging', ExecutionTime: '2025-01-07T10:00Z' },
      { WindowId: w.windowId, Name: 'staging', ExecutionTime: '2025-01-08T10:00Z' },
      { WindowId: w.windowId, Name: 'staging', ExecutionTime: '2025-01-09T10:00Z' },
    ]);
    const second = await h.ssm.send(
      new DescribeMaintenanceWindowScheduleCommand({
        WindowId: w.windowId,
        MaxResults: 3,
        NextToken: first.NextToken,
      }),
    );
    expect(second.ScheduledWindowExecutions?.map((e) => e.ExecutionTime)).toEqual([
      '2025-01-10T10:00Z',
      '2025-01-13T10:00Z',
      '2025-01-14T10:00Z',
    ]);
  });

  it('answers DoesNotExistException for an unknown window', async () => {
    await expect(
      h.ssm.send(new GetMaintenanceWindowCommand({ WindowId: 'mw-0123456789abcdef0' })),
    ).rejects.toMatchObject({
      name: 'DoesNotExistException',
    });
  });
});
