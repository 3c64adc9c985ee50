import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postJson, startHarness } from './simulator-harness.ts';

// @aws-sdk/client-resource-groups-tagging-api is not a dependency: these tests speak the wire
// protocol (AWS JSON 1.1, target ResourceGroupsTaggingAPI_20170126) directly.
const GET_RESOURCES = 'ResourceGroupsTaggingAPI_20170126.GetResources';

interface Mapping {
  ResourceARN: string;
  Tags: { Key: string; Value: string }[];
}

describe('Resource Groups Tagging API GetResources', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ nodes: 1000, faults: 'chaos' });
  });
  afterAll(() => h.stop());

  async function allPages(body: Record<string, unknown>): Promise<{ pages: number; mappings: Mapping[] }> {
    const mappings: Mapping[] = [];
    let token = '';
    let pages = 0;
    do {
      const answer = await postJson(h.simulator.endpoint, GET_RESOURCES, { ...body, PaginationToken: token });
      expect(answer.status).toBe(200);
      pages += 1;
      mappings.push(...(answer.json.ResourceTagMappingList as Mapping[]));
      token = answer.json.PaginationToken as string;
    } while (token !== '');
    return { pages, mappings };
  }

  it('returns every node with its tags, 100 a page, and an empty token at the end', async () => {
    const { pages, mappings } = await allPages({
      ResourcesPerPage: 100,
      ResourceTypeFilters: ['ec2:instance', 'ssm:managed-instance'],
    });
    expect(pages).toBe(10);
    expect(mappings.map((m) => m.ResourceARN.split('/').pop())).toEqual(
      h.fleet.nodes.map((n) => n.instanceId),
    );
    const node = h.fleet.nodes[0];
    expect(mappings[0]?.Tags).toEqual(
      Object.entries(node?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    );
    const hybrid = mappings.find((m) => m.ResourceARN.includes(':managed-instance/mi-'));
    expect(hybrid?.ResourceARN).toMatch(
      /^arn:aws:ssm:us-east-1:123456789012:managed-instance\/mi-[0-9a-f]{17}$/,
    );
    expect(mappings[0]?.ResourceARN).toMatch(/^arn:aws:ec2:us-east-1:123456789012:instance\/i-[0-9a-f]{17}$/);
  });

  it('ANDs tag filters and ORs their values', async () => {
    const { mappings } = await allPages({
      TagFilters: [
        { Key: 'cluster', Values: ['staging', 'batch'] },
        { Key: 'az', Values: ['us-east-1a', 'us-east-2a'] },
      ],
    });
    const expected = h.fleet.nodes.filter(
      (n) =>
        ['staging', 'batch'].includes(n.tags.cluster as string) &&
        ['us-east-1a', 'us-east-2a'].includes(n.tags.az as string),
    );
    expect(mappings.map((m) => m.ResourceARN.split('/').pop())).toEqual(expected.map((n) => n.instanceId));
  });

  it('narrows to one resource type', async () => {
    const { mappings } = await allPages({ ResourceTypeFilters: ['ssm:managed-instance'] });
    expect(mappings.length).toBe(h.fleet.nodes.filter((n) => n.resourceType === 'ManagedInstance').length);
    expect(mappings.every((m) => m.ResourceARN.includes(':managed-instance/'))).toBe(true);
  });

  it('refuses more than 100 resources a page and a forged token', async () => {
    const big = await postJson(h.simulator.endpoint, GET_RESOURCES, { ResourcesPerPage: 101 });
    expect(big.status).toBe(400);
    expect(big.json.__type).toBe('InvalidParameterException');
    const forged = await postJson(h.simulator.endpoint, GET_RESOURCES, { PaginationToken: 'forged' });
    expect(forged.json.__type).toBe('PaginationTokenExpiredException');
  });
});

describe('GetResources throttling', () => {
  it('answers ThrottledException, the Tagging API own code, and counts it', async () => {
    const h = await startHarness({
      nodes: 20,
      faultPlan: { throttle: { GetResources: { probability: 1, burst: 1 } } },
    });
    try {
      const answer = await postJson(h.simulator.endpoint, GET_RESOURCES, {});
      expect(answer).toEqual({
        status: 400,
        json: { __type: 'ThrottledException', message: 'Rate exceeded' },
      });
      expect(h.simulator.stats().byOperation.GetResources).toEqual({ calls: 1, throttled: 1, errors: 0 });
    } finally {
      await h.stop();
    }
  });
});
