import { InvalidContextError } from './invalid-context-error.ts';

/** One tag key and the values any of which selects a node. */
export interface TagTarget {
  readonly key: string;
  readonly values: readonly string[];
}

/**
 * Which nodes a scan covers. Tag keys are ANDed and each key's values ORed, as in SSM `Targets`;
 * `instances` names nodes one by one (EC2 `i-` and hybrid `mi-` ids).
 */
export type TargetSpec =
  | { readonly kind: 'tags'; readonly tags: readonly TagTarget[] }
  | { readonly kind: 'instances'; readonly ids: readonly string[] };

/** SSM `Targets`: at most 5 keys and 5 values per key. */
const MAX_TAG_KEYS = 5;
const MAX_TAG_VALUES = 5;
/** The managed-node id pattern of the SSM API, restricted to the hex ids AWS issues. */
const NODE_ID = /^(i-([0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$/;
/** Tag keys and values: 1-128 / 0-256 characters, no control characters (they end up in IAM conditions). */
const TAG_KEY = /^[^\p{Cc}=;,]{1,128}$/u;
const TAG_VALUE = /^[^\p{Cc};,]{1,256}$/u;

/**
 * Reads the `targets` context value. The grammar is the runtime's (src/core/scan/scan-settings.ts
 * `parseTargetSpec`; a test keeps the two in step): `tag:KEY=V1,V2;tag:KEY2=V3` or `ids:i-...,mi-...`.
 * The stack derives the SendCommand permission from the result, so the IAM policy can never allow
 * more nodes than the scan targets.
 */
export function parseTargetContext(key: string, spec: string): TargetSpec {
  const trimmed = spec.trim();
  if (trimmed.startsWith('ids:')) {
    const ids = trimmed
      .slice(4)
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    if (ids.length === 0) throw new InvalidContextError(key, `"${spec}" names no instance id after ids:`);
    const bad = ids.find((id) => !NODE_ID.test(id));
    if (bad !== undefined) throw new InvalidContextError(key, `"${bad}" is not a node id (i-... or mi-...)`);
    return { kind: 'instances', ids: [...new Set(ids)] };
  }
  const parts = trimmed.split(';').filter((part) => part.trim() !== '');
  if (parts.length === 0) throw new InvalidContextError(key, 'is empty; expected tag:KEY=VALUE or ids:i-...');
  if (parts.length > MAX_TAG_KEYS) {
    throw new InvalidContextError(key, `names ${parts.length} tag keys; SSM allows at most ${MAX_TAG_KEYS}`);
  }
  const tags = parts.map((part): TagTarget => {
    const match = /^\s*tag:([^=]+)=(.*)$/.exec(part);
    if (!match) throw new InvalidContextError(key, `"${part.trim()}" is not tag:KEY=VALUE[,VALUE...]`);
    const tagKey = match[1]!.trim();
    const values = [
      ...new Set(
        match[2]!
          .split(',')
          .map((value) => value.trim())
          .filter((value) => value !== ''),
      ),
    ];
    if (!TAG_KEY.test(tagKey)) throw new InvalidContextError(key, `"${tagKey}" is not a valid tag key`);
    if (values.length === 0 || values.length > MAX_TAG_VALUES) {
      throw new InvalidContextError(
        key,
        `tag ${tagKey} needs 1 to ${MAX_TAG_VALUES} values, got ${values.length}`,
      );
    }
    const badValue = values.find((value) => !TAG_VALUE.test(value));
    if (badValue !== undefined) throw new InvalidContextError(key, `"${badValue}" is not a valid tag value`);
    return { key: tagKey, values };
  });
  const keys = tags.map((tag) => tag.key);
  const repeated = keys.find((tagKey, index) => keys.indexOf(tagKey) !== index);
  if (repeated !== undefined) {
    throw new InvalidContextError(
      key,
      `tag ${repeated} appears twice; list its values once: tag:${repeated}=A,B`,
    );
  }
  return { kind: 'tags', tags };
}

/** Writes targets back in the form the runtime reads (FLEET_TARGETS). */
export function formatTargetSpec(targets: TargetSpec): string {
  if (targets.kind === 'instances') return `ids:${targets.ids.join(',')}`;
  return targets.tags.map((tag) => `tag:${tag.key}=${tag.values.join(',')}`).join(';');
}
