import { describeTargetFilter, type WindowTarget, type WindowTargetFilter } from './maintenance-window.ts';

/**
 * Which stored nodes a maintenance window reaches. SSM returns tag targets as registered, never
 * expanded (research/anchors.md A6), so the expansion happens here: against the tags stored with
 * each node, and for a tag key a node's stored tags lack (the scan keeps only the configured
 * keys) against the account's tags, looked up once per key and value set.
 */

/** One account-wide tag lookup: nodes tagged `key` with one of `values` (any value when empty). */
export interface TagLookup {
  readonly key: string;
  readonly values: readonly string[];
}

/** A node of the at-risk list, as far as targeting goes. */
export interface TargetCandidate {
  readonly node: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A registered target this code cannot expand, and why (the list may miss its nodes). */
export interface UnresolvedTarget {
  readonly windowTargetId: string;
  readonly target: string;
  readonly reason: string;
}

export interface WindowSelection {
  readonly nodes: ReadonlySet<string>;
  readonly unresolved: readonly UnresolvedTarget[];
}

type ParsedFilter =
  | { readonly kind: 'ids'; readonly ids: ReadonlySet<string> }
  | { readonly kind: 'tag'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'tag-key'; readonly keys: readonly string[] }
  | { readonly kind: 'unsupported'; readonly reason: string };

const RESOURCE_GROUP_REASON =
  'resource-group targets are not expanded (that needs the Resource Groups API, which this tool does not call); ' +
  "register the group's tag query as tag: targets, or list the instance ids";

export function tagLookupId(lookup: TagLookup): string {
  return JSON.stringify([lookup.key, [...lookup.values].sort()]);
}

function parseFilter(filter: WindowTargetFilter): ParsedFilter {
  if (filter.key === 'InstanceIds') return { kind: 'ids', ids: new Set(filter.values) };
  if (filter.key.startsWith('tag:') && filter.key.length > 4) {
    return { kind: 'tag', key: filter.key.slice(4), values: filter.values };
  }
  if (filter.key === 'tag-key') return { kind: 'tag-key', keys: filter.values };
  if (filter.key.startsWith('resource-groups:'))
    return { kind: 'unsupported', reason: RESOURCE_GROUP_REASON };
  return { kind: 'unsupported', reason: `target key ${filter.key} is not understood` };
}

function parseTarget(target: WindowTarget): { filters: ParsedFilter[]; unsupported?: string } {
  if (target.resourceType === 'RESOURCE_GROUP') return { filters: [], unsupported: RESOURCE_GROUP_REASON };
  if (target.filters.length === 0) return { filters: [], unsupported: 'the target names no nodes' };
  const filters = target.filters.map(parseFilter);
  const bad = filters.find((f) => f.kind === 'unsupported');
  return bad?.kind === 'unsupported' ? { filters, unsupported: bad.reason } : { filters };
}

/** The account-wide lookups the selection needs: only keys some candidate's stored tags lack. */
export function planTagLookups(
  targets: readonly WindowTarget[],
  candidates: readonly TargetCandidate[],
): TagLookup[] {
  const lacking = (key: string) => candidates.some((c) => !Object.hasOwn(c.tags, key));
  const lookups = new Map<string, TagLookup>();
  const add = (lookup: TagLookup) => {
    const id = tagLookupId(lookup);
    if (!lookups.has(id)) lookups.set(id, lookup);
  };
  for (const target of targets) {
    const { filters, unsupported } = parseTarget(target);
    if (unsupported !== undefined) continue;
    for (const filter of filters) {
      if (filter.kind === 'tag' && lacking(filter.key)) add({ key: filter.key, values: filter.values });
      if (filter.kind === 'tag-key')
        for (const key of filter.keys) if (lacking(key)) add({ key, values: [] });
    }
  }
  return [...lookups.values()];
}

/**
 * The candidates any of the window's targets selects (a target's filters ANDed). `lookups` holds
 * the answers to `planTagLookups`, keyed by `tagLookupId`; a node whose stored tags carry a key is
 * judged on the stored value (what the scan saw), otherwise on the lookup.
 */
export function selectWindowNodes(
  targets: readonly WindowTarget[],
  candidates: readonly TargetCandidate[],
  lookups: ReadonlyMap<string, ReadonlySet<string>>,
): WindowSelection {
  const unresolved: UnresolvedTarget[] = [];
  const usable: ParsedFilter[][] = [];
  for (const target of targets) {
    const { filters, unsupported } = parseTarget(target);
    if (unsupported === undefined) usable.push(filters);
    else
      unresolved.push({
        windowTargetId: target.windowTargetId,
        target:
          target.filters.length === 0
            ? target.resourceType
            : target.filters.map(describeTargetFilter).join(' AND '),
        reason: unsupported,
      });
  }
  const looked = (key: string, values: readonly string[], node: string): boolean =>
    lookups.get(tagLookupId({ key, values }))?.has(node) ?? false;
  const matches = (filter: ParsedFilter, c: TargetCandidate): boolean => {
    switch (filter.kind) {
      case 'ids':
        return filter.ids.has(c.node);
      case 'tag':
        return Object.hasOwn(c.tags, filter.key)
          ? filter.values.includes(c.tags[filter.key] as string)
          : looked(filter.key, filter.values, c.node);
      case 'tag-key':
        return filter.keys.some((k) => Object.hasOwn(c.tags, k) || looked(k, [], c.node));
      default:
        return false;
    }
  };
  const nodes = new Set<string>();
  for (const c of candidates)
    if (usable.some((filters) => filters.every((f) => matches(f, c)))) nodes.add(c.node);
  return { nodes, unresolved };
}
