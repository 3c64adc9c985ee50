import {
  DescribeInstanceInformationCommand,
  type InstanceInformation,
  ListTagsForResourceCommand,
  paginateDescribeInstanceInformation,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualNode } from '../../../src/local/fleet/virtual-fleet.ts';
import { type Harness, startHarness, T0 } from './simulator-harness.ts';

describe('managed nodes', () => {
  let h: Harness;
  let all: InstanceInformation[];

  beforeAll(async () => {
    h = await startHarness({ nodes: 500, faults: 'chaos', seed: 3 });
    all = [];
    for await (const page of paginateDescribeInstanceInformation({ client: h.ssm, pageSize: 50 }, {})) {
      all.push(...(page.InstanceInformationList ?? []));
    }
  });
  afterAll(() => h.stop());

  it('describes every node once, 50 a page', () => {
    expect(all.map((i) => i.InstanceId)).toEqual(h.fleet.nodes.map((n) => n.instanceId));
    expect(h.simulator.stats().byOperation.DescribeInstanceInformation?.calls).toBe(10);
  });

  it('reports platform, ping status and resource type as the agent does', () => {
    const node = h.fleet.nodes.find(
      (n) => n.fault === 'none' && n.resourceType === 'EC2Instance',
    ) as VirtualNode;
    const info = all.find((i) => i.InstanceId === node.instanceId);
    expect(info).toMatchObject({
      PingStatus: 'Online',
      PlatformType: 'Linux',
      PlatformName: node.platformName,
      PlatformVersion: node.platformVersion,
      ResourceType: 'EC2Instance',
      ComputerName: node.hostname,
    });
    expect(info?.LastPingDateTime?.getTime()).toBe(T0 - node.lastPingAgoSeconds * 1000);
    const offline = h.fleet.nodes.filter((n) => n.fault === 'offline').map((n) => n.instanceId);
    expect(
      all
        .filter((i) => offline.includes(i.InstanceId as string))
        .every((i) => i.PingStatus === 'ConnectionLost'),
    ).toBe(true);
    expect(all.some((i) => i.ResourceType === 'ManagedInstance' && i.InstanceId?.startsWith('mi-'))).toBe(
      true,
    );
    expect(all.some((i) => i.PlatformType === 'Windows')).toBe(true);
  });

  it('filters by tag and by ping status', async () => {
    const staging = await h.ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [
          { Key: 'tag:cluster', Values: ['staging'] },
          { Key: 'PingStatus', Values: ['Online'] },
        ],
      }),
    );
    const expected = h.fleet.nodes.filter((n) => n.tags.cluster === 'staging' && n.pingStatus === 'Online');
    expect(staging.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(
      expected.slice(0, 50).map((n) => n.instanceId),
    );
  });

  it('refuses a page size outside 5-50', async () => {
    await expect(
      h.ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 51 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('lists the tags of a hybrid node', async () => {
    const node = h.fleet.nodes.find((n) => n.resourceType === 'ManagedInstance') as VirtualNode;
    const tags = await h.ssm.send(
      new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: node.instanceId }),
    );
    expect(tags.TagList).toEqual(Object.entries(node.tags).map(([Key, Value]) => ({ Key, Value })));
  });

  it('leaves EC2 instance tags to EC2, as SSM does', async () => {
    const node = h.fleet.nodes.find((n) => n.resourceType === 'EC2Instance') as VirtualNode;
    await expect(
      h.ssm.send(
        new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: node.instanceId }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidResourceId' });
  });
});

describe('a hostile fleet', () => {
  it('passes injection strings through the API untouched', async () => {
    const h = await startHarness({ nodes: 200, faults: 'hostile' });
    try {
      const names: string[] = [];
      for await (const page of paginateDescribeInstanceInformation({ client: h.ssm, pageSize: 50 }, {})) {
        names.push(...(page.InstanceInformationList ?? []).map((i) => i.ComputerName as string));
      }
      expect(names).toContain('=HYPERLINK("http://evil.example","x")');
      expect(names).toContain('para\u2028graph\u2029sep');
    } finally {
      await h.stop();
    }
  });
});
