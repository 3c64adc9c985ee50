import type { VirtualFleet, VirtualNode } from '../fleet/virtual-fleet.ts';
import { WireError } from './wire-error.ts';

export interface TargetSpec {
  readonly key: string;
  readonly values: readonly string[];
}

/** research/anchors.md A1: up to 5 keys, 5 values per key; InstanceIds up to 50. */
export const MAX_TARGET_KEYS = 5;
export const MAX_TARGET_VALUES = 5;
export const MAX_INSTANCE_IDS = 50;
export const NODE_ID_PATTERN = /^(i-(\w{8}|\w{17})|mi-\w{17})$/;

/**
 * The managed nodes a SendCommand `Targets` list selects: every key must match (AND), any value
 * of a key may match (OR). Supports `tag:<Key>`, `tag-key` and `InstanceIds` (`*` = every node).
 * Nodes come back in fleet order, so invocations list in a stable order.
 */
export function resolveTargets(fleet: VirtualFleet, targets: readonly TargetSpec[]): VirtualNode[] {
  if (targets.length === 0) throw new WireError('InvalidTarget', 'Targets must not be empty.');
  if (targets.length > MAX_TARGET_KEYS) {
    throw new WireError(
      'ValidationException',
      `Targets accepts at most ${MAX_TARGET_KEYS} keys; got ${targets.length}.`,
    );
  }
  const predicates = targets.map(targetPredicate);
  return fleet.nodes.filter((node) => predicates.every((matches) => matches(node)));
}

function targetPredicate(target: TargetSpec): (node: VirtualNode) => boolean {
  const { key, values } = target;
  if (values.length === 0) throw new WireError('InvalidTarget', `Target ${key} has no values.`);
  if (key === 'InstanceIds') {
    if (values.length > MAX_INSTANCE_IDS) {
      throw new WireError(
        'ValidationException',
        `Target InstanceIds accepts at most ${MAX_INSTANCE_IDS} values.`,
      );
    }
    if (values.includes('*')) return () => true;
    const ids = new Set(values);
    return (node) => ids.has(node.instanceId);
  }
  if (values.length > MAX_TARGET_VALUES) {
    throw new WireError(
      'ValidationException',
      `Target ${key} accepts at most ${MAX_TARGET_VALUES} values; got ${values.length}.`,
    );
  }
  if (key === 'tag-key') {
    return (node) => values.some((k) => Object.hasOwn(node.tags, k));
  }
  if (key.startsWith('tag:') && key.length > 4) {
    const tagKey = key.slice(4);
    const wanted = new Set(values);
    return (node) => {
      const value = node.tags[tagKey];
      return value !== undefined && wanted.has(value);
    };
  }
  throw new WireError('InvalidTarget', `Target key ${key} is not supported by the simulator.`);
}
