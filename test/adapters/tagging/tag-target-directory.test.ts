import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTaggingClient } from '../../../src/adapters/tagging/create-tagging-client.ts';
import { nodeIdFromArn, TagTargetDirectory } from '../../../src/adapters/tagging/tag-target-directory.ts';
import { TaggingRequestError } from '../../../src/adapters/tagging/tagging-request-error.ts';
import { TaggingThrottledError } from '../../../src/adapters/tagging/tagging-throttled-error.ts';
import type { ScanTargets } from '../../../src/core/scan/scan-settings.ts';
import { type SimulatedFleet, startSimulatedFleet } from '../ssm/simulated-fleet.ts';

const TAG_KEYS = ['Name', 'cluster'];

describe('TagTargetDirectory against the simulator', () => {
  let sim: SimulatedFleet | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('lists every node the tags select, one GetResources call per 100 nodes, tags cut to the kept keys', async () => {
    sim = await startSimulatedFleet({ nodes: 1000, faults: 'chaos' });
    const directory = new TagTargetDirectory({ client: sim.tagging });
    const clusters = ['prod-us-1', 'prod-eu-1', 'onprem-dc1'];
    const targets: ScanTargets = { kind: 'tags', tags: [{ key: 'cluster', values: clusters }] };

    const nodes = await directory.listTargets(targets, TAG_KEYS);

    const expected = sim.fleet.nodes.filter((n) => clusters.includes(n.tags.cluster ?? ''));
    expect(nodes.map((n) => n.id)).toEqual(expected.map((n) => n.instanceId));
    expect(nodes[0]?.tags).toEqual({ Name: expected[0]?.tags.Name, cluster: expected[0]?.tags.cluster });
    expect(nodes.some((n) => n.id.startsWith('mi-'))).toBe(true);
    expect(directory.stats.snapshot()).toMatchObject({
      calls: { GetResources: Math.ceil(expected.length / 100) },
      resources: expected.length,
      skippedArns: 0,
      retries: 0,
    });
  });

  it('ANDs tag keys and ORs values, as SSM Targets do', async () => {
    sim = await startSimulatedFleet({ nodes: 400 });
    const directory = new TagTargetDirectory({ client: sim.tagging });
    const nodes = await directory.listTargets(
      {
        kind: 'tags',
        tags: [
          { key: 'cluster', values: ['prod-us-1', 'staging'] },
          { key: 'az', values: ['us-east-1a', 'us-east-1b'] },
        ],
      },
      ['az'],
    );
    const expected = sim.fleet.nodes.filter(
      (n) =>
        ['prod-us-1', 'staging'].includes(n.tags.cluster!) &&
        ['us-east-1a', 'us-east-1b'].includes(n.tags.az!),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(nodes.map((n) => n.id)).toEqual(expected.map((n) => n.instanceId));
    expect(nodes.every((n) => Object.keys(n.tags).join() === 'az')).toBe(true);
  });

  it('keeps every page through throttling bursts (ThrottledException retried by the SDK)', async () => {
    sim = await startSimulatedFleet({
      nodes: 1000,
      // Seed 3: one burst of two, on the second page (the SDK asks for that page three times).
      faultPlan: { seed: 3, throttle: { GetResources: { probability: 0.05, burst: 2 } } },
    });
    const directory = new TagTargetDirectory({ client: sim.tagging });
    const clusters = ['prod-us-1', 'prod-eu-1', 'prod-us-2', 'staging', 'batch'];

    const nodes = await directory.listTargets(
      { kind: 'tags', tags: [{ key: 'cluster', values: clusters }] },
      [],
    );

    const expected = sim.fleet.nodes
      .filter((n) => clusters.includes(n.tags.cluster ?? ''))
      .map((n) => n.instanceId);
    expect(nodes.map((n) => n.id)).toEqual(expected);
    const served = sim.simulator.stats().byOperation.GetResources!;
    expect(served.throttled).toBeGreaterThan(0);
    const pages = Math.ceil(expected.length / 100);
    expect(served.calls).toBe(pages + served.throttled);
    expect(directory.stats.snapshot()).toMatchObject({
      calls: { GetResources: pages },
      retries: served.throttled,
    });
  });

  it('returns explicit instance ids as given, without tags and without calling AWS', async () => {
    sim = await startSimulatedFleet({ nodes: 10 });
    const directory = new TagTargetDirectory({ client: sim.tagging });
    const ids = ['i-0123456789abcdef0', 'mi-0123456789abcdef0'];
    await expect(directory.listTargets({ kind: 'instances', ids }, TAG_KEYS)).resolves.toEqual([
      { id: ids[0], tags: {} },
      { id: ids[1], tags: {} },
    ]);
    expect(sim.simulator.stats().calls).toBe(0);
  });
});

describe('TagTargetDirectory against a mocked Tagging API', () => {
  // Mocks the client class for every instance: installed only for this group, so the simulator
  // tests above keep the real one.
  let tagging: ReturnType<typeof mockClient>;
  const client = createTaggingClient({ endpoint: 'http://127.0.0.1:9' });
  const targets: ScanTargets = { kind: 'tags', tags: [{ key: 'env', values: ['prod'] }] };
  beforeAll(() => {
    tagging = mockClient(ResourceGroupsTaggingAPIClient);
  });
  afterAll(() => tagging.restore());
  beforeEach(() => tagging.reset());

  it('asks for nodes only, 100 a page, and skips ARNs that name no node', async () => {
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce({
        ResourceTagMappingList: [
          { ResourceARN: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0', Tags: [] },
          { ResourceARN: 'arn:aws:ec2:eu-west-1:111122223333:volume/vol-0123456789abcdef0', Tags: [] },
        ],
        PaginationToken: 'p2',
      })
      .resolvesOnce({
        ResourceTagMappingList: [
          {
            ResourceARN: 'arn:aws:ssm:eu-west-1:111122223333:managed-instance/mi-0123456789abcdef0',
            Tags: [
              { Key: 'env', Value: 'prod' },
              { Key: 'team', Value: 'core' },
            ],
          },
        ],
        PaginationToken: '',
      });
    const directory = new TagTargetDirectory({ client });
    await expect(directory.listTargets(targets, ['env'])).resolves.toEqual([
      { id: 'i-0123456789abcdef0', tags: {} },
      { id: 'mi-0123456789abcdef0', tags: { env: 'prod' } },
    ]);
    expect(tagging).toHaveReceivedNthCommandWith(GetResourcesCommand, 1, {
      TagFilters: [{ Key: 'env', Values: ['prod'] }],
      ResourceTypeFilters: ['ec2:instance', 'ssm:managed-instance'],
      ResourcesPerPage: 100,
    });
    expect(tagging).toHaveReceivedNthCommandWith(GetResourcesCommand, 2, { PaginationToken: 'p2' });
    expect(directory.stats.snapshot()).toMatchObject({ resources: 3, skippedArns: 1 });
  });

  it('turns throttling that outlasted the retries into TaggingThrottledError, with the cause', async () => {
    const cause = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottledException',
      $fault: 'client',
      $metadata: { attempts: 10 },
    });
    tagging.on(GetResourcesCommand).rejects(cause);
    const directory = new TagTargetDirectory({ client });
    const error = await directory.listTargets(targets, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaggingThrottledError);
    expect(error).toMatchObject({ code: 'tagging.throttled', cause });
    expect(directory.stats.snapshot()).toMatchObject({ failures: { GetResources: 1 }, retries: 9 });
  });

  it('stops on a PaginationToken the service repeats', async () => {
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: 'again' });
    await expect(new TagTargetDirectory({ client }).listTargets(targets, [])).rejects.toBeInstanceOf(
      TaggingRequestError,
    );
  });
});

describe('nodeIdFromArn', () => {
  it.each([
    ['arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0', 'i-0123456789abcdef0'],
    ['arn:aws:ec2:us-east-1:123456789012:instance/i-01234567', 'i-01234567'],
    ['arn:aws-cn:ssm:cn-north-1:123456789012:managed-instance/mi-0123456789abcdef0', 'mi-0123456789abcdef0'],
    ['arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0', undefined],
    ['arn:aws:ec2:us-east-1:123456789012:instance/i-XYZ', undefined],
    ['not-an-arn', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (arn, id) => {
    expect(nodeIdFromArn(arn)).toBe(id);
  });
});
