import {
  GetResourcesCommand,
  type GetResourcesCommandOutput,
  type ResourceGroupsTaggingAPIClient,
  type ResourceTagMapping,
  type TagFilter,
} from '@aws-sdk/client-resource-groups-tagging-api';
import type { ScanTargets } from '../../core/scan/scan-settings.ts';
import type { TargetDirectory, TargetNode } from '../../pipeline/ports.ts';
import { TaggingRequestError } from './tagging-request-error.ts';
import { metadataOf, TargetDirectoryStats } from './target-directory-stats.ts';
import { translateTaggingError } from './translate-tagging-error.ts';

/** EC2 instances and hybrid (`mi-`) nodes: the two kinds of managed node SSM targets by tag. */
export const NODE_RESOURCE_TYPES = ['ec2:instance', 'ssm:managed-instance'] as const;
/** GetResources' own maximum page size. */
const RESOURCES_PER_PAGE = 100;
/** `…:instance/i-…` or `…:managed-instance/mi-…`: the resource part of the ARN. */
const NODE_RESOURCE = /^(?:instance|managed-instance)\/(i-[0-9a-f]{8}(?:[0-9a-f]{9})?|mi-[0-9a-f]{17})$/;

export interface TagTargetDirectoryOptions {
  /** Built by createTaggingClient (adaptive retry, 10 attempts). */
  readonly client: ResourceGroupsTaggingAPIClient;
  /** Counters shared with whoever wants them (a benchmark); a fresh one by default. */
  readonly stats?: TargetDirectoryStats;
}

/**
 * Who the targets select, from the Resource Groups Tagging API: one GetResources call per 100
 * nodes, tags included, so the scan learns its coverage baseline and the tags it stores without
 * a DescribeInstances per node. TagFilters mean what SSM's Targets mean: keys ANDed, the values
 * of one key ORed.
 *
 * The listing holds every tagged instance, including stopped ones and nodes without an SSM
 * agent: that is the point, they are the nodes the scan must report as not reached.
 *
 * Instance-id targets are returned as given, with no tags. GetResources can only look ids up by
 * full ARN (account and partition the Lambda does not otherwise need), DescribeInstanceInformation
 * carries no tags, and explicit-id scans are small and ad hoc (at most a few hundred ids someone
 * typed), so their nodes are stored without the grouping tags. An id SSM does not manage makes
 * SendCommand fail with InvalidInstanceId, which names it.
 */
export class TagTargetDirectory implements TargetDirectory {
  readonly stats: TargetDirectoryStats;
  private readonly client: ResourceGroupsTaggingAPIClient;

  constructor(options: TagTargetDirectoryOptions) {
    this.client = options.client;
    this.stats = options.stats ?? new TargetDirectoryStats();
  }

  async listTargets(targets: ScanTargets, tagKeys: readonly string[]): Promise<TargetNode[]> {
    if (targets.kind === 'instances') return targets.ids.map((id) => ({ id, tags: {} }));
    const kept = new Set(tagKeys);
    const nodes = new Map<string, TargetNode>();
    const filters = targets.tags.map((t) => ({ Key: t.key, Values: [...t.values] }));
    for await (const mappings of nodeTagPages(this.client, filters, this.stats)) {
      let skipped = 0;
      for (const mapping of mappings) {
        const id = nodeIdFromArn(mapping.ResourceARN);
        if (id === undefined) {
          skipped += 1;
          continue;
        }
        const tags: Record<string, string> = {};
        for (const tag of mapping.Tags ?? []) {
          if (tag.Key !== undefined && tag.Value !== undefined && kept.has(tag.Key))
            tags[tag.Key] = tag.Value;
        }
        nodes.set(id, { id, tags });
      }
      this.stats.recordResources(mappings.length, skipped);
    }
    return [...nodes.values()];
  }
}

/**
 * The GetResources pages of managed nodes (EC2 instances and `mi-` nodes) whose tags match the
 * filters, 100 a page, following PaginationToken to the end (the last page carries "", on AWS and
 * the simulator alike); a token the service repeats fails instead of looping. Each call is counted
 * in `stats` when given.
 */
export async function* nodeTagPages(
  client: ResourceGroupsTaggingAPIClient,
  tagFilters: readonly TagFilter[],
  stats?: TargetDirectoryStats,
): AsyncGenerator<ResourceTagMapping[]> {
  let token: string | undefined;
  do {
    let page: GetResourcesCommandOutput;
    try {
      page = await client.send(
        new GetResourcesCommand({
          TagFilters: [...tagFilters],
          ResourceTypeFilters: [...NODE_RESOURCE_TYPES],
          ResourcesPerPage: RESOURCES_PER_PAGE,
          ...(token === undefined ? {} : { PaginationToken: token }),
        }),
      );
      stats?.recordCall('GetResources', page.$metadata);
    } catch (error) {
      stats?.recordCall('GetResources', metadataOf(error), true);
      throw translateTaggingError(error, 'GetResources');
    }
    yield page.ResourceTagMappingList ?? [];
    const next = page.PaginationToken ? page.PaginationToken : undefined;
    if (next !== undefined && next === token) {
      throw new TaggingRequestError(
        'GetResources',
        undefined,
        'the service returned the same PaginationToken again',
      );
    }
    token = next;
  } while (token !== undefined);
}

/**
 * The node id an ARN names: `arn:aws:ec2:<region>:<account>:instance/i-…` or
 * `arn:aws:ssm:<region>:<account>:managed-instance/mi-…`; undefined for anything else.
 */
export function nodeIdFromArn(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const resource = parts.slice(5).join(':');
  return NODE_RESOURCE.exec(resource)?.[1];
}
