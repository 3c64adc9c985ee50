import { createHash } from 'node:crypto';
import type { VirtualNode } from '../fleet/virtual-fleet.ts';
import { decodePageToken, encodePageToken } from './pagination-token.ts';
import {
  keyValuesList,
  optionalArray,
  optionalInteger,
  optionalString,
  stringArray,
} from './request-fields.ts';
import type { RequestHandler, SimulatorContext } from './simulator-context.ts';
import { WireError } from './wire-error.ts';

/**
 * Resource Groups Tagging API GetResources over the fleet's nodes: EC2 instances
 * (`ec2:instance`) and hybrid nodes (`ssm:managed-instance`) with all their tags, up to 100 a
 * page, so that a scanner learns the expected node set and its tags in one call per 100 nodes.
 * TagFilters are ANDed; the values of one filter are ORed; a filter without values asks for the
 * key. The last page carries `PaginationToken: ""`, as AWS does.
 */
export const getResources: RequestHandler = (context, body) => {
  const perPage = optionalInteger(body, 'ResourcesPerPage', 1, Number.MAX_SAFE_INTEGER) ?? 100;
  if (perPage > 100)
    throw new WireError('InvalidParameterException', 'ResourcesPerPage must be between 1 and 100.');
  const tagFilters = keyValuesList(body, 'TagFilters') ?? [];
  const typeFilters = stringArray(optionalArray(body, 'ResourceTypeFilters') ?? [], 'ResourceTypeFilters');
  const arnList = stringArray(optionalArray(body, 'ResourceARNList') ?? [], 'ResourceARNList');
  if (arnList.length > 0 && (tagFilters.length > 0 || typeFilters.length > 0)) {
    throw new WireError(
      'InvalidParameterException',
      'ResourceARNList cannot be combined with TagFilters or ResourceTypeFilters.',
    );
  }
  if (tagFilters.length > 50)
    throw new WireError('InvalidParameterException', 'At most 50 TagFilters are allowed.');
  for (const type of typeFilters) {
    if (!/^[a-z0-9-]+(:[a-z0-9-]+)?$/.test(type)) {
      throw new WireError('InvalidParameterException', `ResourceTypeFilters value ${type} is not valid.`);
    }
  }
  const arns = new Set(arnList);
  const matches = (node: VirtualNode): boolean =>
    (arns.size === 0 || arns.has(resourceArn(context, node))) &&
    (typeFilters.length === 0 ||
      typeFilters.some((t) => t === resourceType(node) || t === resourceType(node).split(':')[0])) &&
    tagFilters.every((f) => {
      const value = node.tags[f.key];
      return value !== undefined && (f.values.length === 0 || f.values.includes(value));
    });
  const scope = `gr:${createHash('sha256')
    .update(JSON.stringify([tagFilters, typeFilters, arnList]))
    .digest('base64url')
    .slice(0, 16)}`;
  const token = optionalString(body, 'PaginationToken');
  const from =
    token === undefined || token === ''
      ? 0
      : (decodePageToken(token, scope, 'PaginationTokenExpiredException')[0] as number);
  const nodes = context.fleet.nodes;
  const page: unknown[] = [];
  let next: number | undefined;
  for (let i = from; i < nodes.length; i += 1) {
    const node = nodes[i] as VirtualNode;
    if (!matches(node)) continue;
    if (page.length === perPage) {
      next = i;
      break;
    }
    page.push({
      ResourceARN: resourceArn(context, node),
      Tags: Object.entries(node.tags).map(([Key, Value]) => ({ Key, Value })),
    });
  }
  return {
    PaginationToken: next === undefined ? '' : encodePageToken({ scope, position: [next] }),
    ResourceTagMappingList: page,
  };
};

export function resourceArn(
  context: Pick<SimulatorContext, 'region' | 'accountId'>,
  node: VirtualNode,
): string {
  return node.resourceType === 'ManagedInstance'
    ? `arn:aws:ssm:${context.region}:${context.accountId}:managed-instance/${node.instanceId}`
    : `arn:aws:ec2:${context.region}:${context.accountId}:instance/${node.instanceId}`;
}

function resourceType(node: VirtualNode): string {
  return node.resourceType === 'ManagedInstance' ? 'ssm:managed-instance' : 'ec2:instance';
}
