import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from '../../../src/core/at-risk/closest-names.ts';
import {
  executionTimeUtc,
  isWindowId,
  type WindowTarget,
} from '../../../src/core/at-risk/maintenance-window.ts';
import {
  planTagLookups,
  selectWindowNodes,
  type TargetCandidate,
  tagLookupId,
} from '../../../src/core/at-risk/window-targets.ts';

const candidates: TargetCandidate[] = [
  { node: 'i-a', tags: { cluster: 'prod', az: '1a' } },
  { node: 'i-b', tags: { cluster: 'prod', az: '1b' } },
  { node: 'i-c', tags: { cluster: 'staging' } },
  // Scanned by instance id: the store kept no tags for it.
  { node: 'i-d', tags: {} },
];

const target = (id: string, filters: [string, string[]][], resourceType = 'INSTANCE'): WindowTarget => ({
  windowTargetId: id,
  resourceType,
  filters: filters.map(([key, values]) => ({ key, values })),
});

describe('planTagLookups', () => {
  it('asks the account only for keys some node has no stored value for', () => {
    const targets = [target('t1', [['tag:cluster', ['prod']]])];
    expect(planTagLookups(targets, candidates)).toEqual([{ key: 'cluster', values: ['prod'] }]);
    expect(planTagLookups(targets, candidates.slice(0, 3))).toEqual([]);
  });

  it('asks once per key and value set, and never for targets it cannot expand', () => {
    const targets = [
      target('t1', [['tag:env', ['prod', 'dev']]]),
      target('t2', [['tag:env', ['dev', 'prod']]]),
      target('t3', [['tag-key', ['owner']]]),
      target('t4', [['resource-groups:Name', ['my-group']]]),
    ];
    expect(planTagLookups(targets, candidates)).toEqual([
      { key: 'env', values: ['prod', 'dev'] },
      { key: 'owner', values: [] },
    ]);
  });
});

describe('selectWindowNodes', () => {
  it('matches a tag target on stored tags, and on the lookup where the store has no value', () => {
    const targets = [target('t1', [['tag:cluster', ['prod']]])];
    const lookups = new Map([[tagLookupId({ key: 'cluster', values: ['prod'] }), new Set(['i-d', 'i-c'])]]);
    const selection = selectWindowNodes(targets, candidates, lookups);
    // i-c's stored tag says staging: the stored value wins over the account's current one.
    expect([...selection.nodes].sort()).toEqual(['i-a', 'i-b', 'i-d']);
    expect(selection.unresolved).toEqual([]);
  });

  it('ANDs the filters of one target and ORs the targets', () => {
    const targets = [
      target('t1', [
        ['tag:cluster', ['prod']],
        ['tag:az', ['1b']],
      ]),
      target('t2', [['InstanceIds', ['i-c']]]),
    ];
    expect([...selectWindowNodes(targets, candidates, new Map()).nodes].sort()).toEqual(['i-b', 'i-c']);
  });

  it('matches tag-key targets on any listed key', () => {
    const targets = [target('t1', [['tag-key', ['az', 'owner']]])];
    const lookups = new Map([
      [tagLookupId({ key: 'az', values: [] }), new Set<string>()],
      [tagLookupId({ key: 'owner', values: [] }), new Set(['i-d'])],
    ]);
    expect([...selectWindowNodes(targets, candidates, lookups).nodes].sort()).toEqual(['i-a', 'i-b', 'i-d']);
  });

  it('says which targets it cannot expand (resource groups, unknown keys) instead of guessing', () => {
    const targets = [
      target('t-rg', [['resource-groups:Name', ['web']]], 'RESOURCE_GROUP'),
      target('t-odd', [
        ['tag:cluster', ['prod']],
        ['ec2:vpc', ['vpc-1']],
      ]),
      target('t-ids', [['InstanceIds', ['i-a']]]),
    ];
    const selection = selectWindowNodes(targets, candidates, new Map());
    expect([...selection.nodes]).toEqual(['i-a']);
    expect(selection.unresolved.map((u) => [u.windowTargetId, u.target])).toEqual([
      ['t-rg', 'resource-groups:Name=web'],
      ['t-odd', 'tag:cluster=prod AND ec2:vpc=vpc-1'],
    ]);
    expect(selection.unresolved[0]?.reason).toMatch(/Resource Groups API/);
    expect(selection.unresolved[1]?.reason).toBe('target key ec2:vpc is not understood');
  });
});

describe('window helpers', () => {
  it('tells window ids from names', () => {
    expect(isWindowId('mw-0123456789abcdef0')).toBe(true);
    expect(isWindowId('mw-0123456789ABCDEF0')).toBe(false);
    expect(isWindowId('prod-eu-1')).toBe(false);
  });

  it('converts SSM execution times with their offset to UTC', () => {
    expect(executionTimeUtc('2025-01-08T03:00-05:00')).toBe('2025-01-08T08:00:00.000Z');
    expect(executionTimeUtc('2025-01-07T02:00Z')).toBe('2025-01-07T02:00:00.000Z');
    expect(executionTimeUtc('')).toBeUndefined();
    expect(executionTimeUtc('soon')).toBeUndefined();
  });

  it('suggests names containing the input first, then close ones, never far ones', () => {
    const names = ['prod-eu-1', 'prod-us-1', 'prod-us-2', 'staging', 'batch', 'canary-nodes'];
    expect(closestNames('prod-eu1', names)).toEqual(['prod-eu-1', 'prod-us-1', 'prod-us-2']);
    expect(closestNames('stag', names)).toEqual(['staging']);
    expect(closestNames('zzzzzzzzzz', names)).toEqual([]);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
