import { createHash } from 'node:crypto';
import type { VirtualNode } from '../fleet/virtual-fleet.ts';
import { decodePageToken, encodePageToken } from './pagination-token.ts';
import { keyValuesList, optionalInteger, optionalString, requiredString } from './request-fields.ts';
import { epochSeconds, type RequestHandler } from './simulator-context.ts';
import { NODE_ID_PATTERN } from './target-resolution.ts';
import { WireError } from './wire-error.ts';

type NodePredicate = (node: VirtualNode) => boolean;

/**
 * DescribeInstanceInformation: every registered managed node (the simulator has no stopped or
 * terminated ones), in fleet order, 5-50 a page. `Filters` takes `tag:<Key>`, `tag-key`,
 * `InstanceIds`, `PingStatus`, `PlatformTypes`, `ResourceType`, `AgentVersion`;
 * `InstanceInformationFilterList` the same keys without tags. All filters are ANDed.
 */
export const describeInstanceInformation: RequestHandler = (context, body) => {
  const maxResults = optionalInteger(body, 'MaxResults', 5, 50) ?? 50;
  const stringFilters = keyValuesList(body, 'Filters') ?? [];
  const legacyFilters = keyValuesList(body, 'InstanceInformationFilterList', 'key', 'valueSet') ?? [];
  const predicates = [
    ...stringFilters.map((f) => nodePredicate(f.key, f.values, true)),
    ...legacyFilters.map((f) => nodePredicate(f.key, f.values, false)),
  ];
  const scope = `dii:${createHash('sha256')
    .update(JSON.stringify([stringFilters, legacyFilters]))
    .digest('base64url')
    .slice(0, 16)}`;
  const token = optionalString(body, 'NextToken');
  const from = token === undefined ? 0 : (decodePageToken(token, scope)[0] as number);
  const now = context.clock.now();
  const page: unknown[] = [];
  let next: number | undefined;
  const nodes = context.fleet.nodes;
  for (let i = from; i < nodes.length; i += 1) {
    const node = nodes[i] as VirtualNode;
    if (!predicates.every((matches) => matches(node))) continue;
    if (page.length === maxResults) {
      next = i;
      break;
    }
    page.push(instanceInformationJson(node, now));
  }
  return {
    InstanceInformationList: page,
    ...(next === undefined ? {} : { NextToken: encodePageToken({ scope, position: [next] }) }),
  };
};

/**
 * ListTagsForResource for managed nodes. As on AWS, ResourceType ManagedInstance names hybrid
 * (`mi-`) nodes; EC2 instance tags belong to EC2 (or the Tagging API's GetResources).
 */
export const listTagsForResource: RequestHandler = (context, body) => {
  const resourceType = requiredString(body, 'ResourceType');
  const resourceId = requiredString(body, 'ResourceId');
  if (resourceType !== 'ManagedInstance') {
    throw new WireError(
      'InvalidResourceType',
      `The simulator lists tags of ManagedInstance only, not ${resourceType}.`,
    );
  }
  const node = resourceId.startsWith('mi-') ? context.fleet.byId(resourceId) : undefined;
  if (node === undefined)
    throw new WireError('InvalidResourceId', `The resource ID ${resourceId} is not valid.`);
  return { TagList: Object.entries(node.tags).map(([Key, Value]) => ({ Key, Value })) };
};

function nodePredicate(key: string, values: readonly string[], tagsAllowed: boolean): NodePredicate {
  if (values.length === 0) {
    throw new WireError('InvalidInstanceInformationFilterValue', `The filter ${key} has no values.`);
  }
  const wanted = new Set(values);
  if (tagsAllowed && key.startsWith('tag:') && key.length > 4) {
    const tagKey = key.slice(4);
    return (node) => {
      const value = node.tags[tagKey];
      return value !== undefined && wanted.has(value);
    };
  }
  if (tagsAllowed && key === 'tag-key') return (node) => values.some((k) => Object.hasOwn(node.tags, k));
  switch (key) {
    case 'InstanceIds':
      for (const id of values) {
        if (!NODE_ID_PATTERN.test(id))
          throw new WireError('InvalidInstanceId', `Instance ID ${id} is not valid.`);
      }
      return (node) => wanted.has(node.instanceId);
    case 'PingStatus':
      return (node) => wanted.has(node.pingStatus);
    case 'PlatformTypes':
      return (node) => wanted.has(node.platformType);
    case 'ResourceType':
      return (node) => wanted.has(node.resourceType);
    case 'AgentVersion':
      return (node) => wanted.has(node.agentVersion);
    default:
      throw new WireError('InvalidFilterKey', `The filter key ${key} is not valid.`);
  }
}

function instanceInformationJson(node: VirtualNode, now: number): Record<string, unknown> {
  const hybrid = node.resourceType === 'ManagedInstance';
  return {
    InstanceId: node.instanceId,
    PingStatus: node.pingStatus,
    LastPingDateTime: epochSeconds(now - node.lastPingAgoSeconds * 1000),
    AgentVersion: node.agentVersion,
    IsLatestVersion: node.agentVersion === '3.3.1142.0',
    PlatformType: node.platformType,
    PlatformName: node.platformName,
    PlatformVersion: node.platformVersion,
    ResourceType: node.resourceType,
    IPAddress: node.ipAddress,
    ComputerName: node.hostname,
    AssociationStatus: 'Success',
    SourceId: node.instanceId,
    SourceType: hybrid ? 'AWS::SSM::ManagedInstance' : 'AWS::EC2::Instance',
    ...(hybrid
      ? {
          Name: node.tags.Name,
          ActivationId: '4e1f8b2a-5c3d-4a7e-9f0b-1c2d3e4f5a6b',
          IamRole: 'SSMServiceRole',
          RegistrationDate: epochSeconds(now - node.uptimeSeconds * 1000),
        }
      : {}),
  };
}
