import { describe, expect, it } from 'vitest';
import { formatTargetSpec, parseTargetContext } from '../../../lib/config/target-spec.ts';
import { formatTargets, parseTargetSpec } from '../../../src/core/scan/scan-settings.ts';

/**
 * lib/ may not import the runtime's parser (src/core/scan/scan-settings.ts), so it has its own;
 * these rows check both read every accepted spec the same way, so the IAM condition the stack
 * derives always matches the targets the dispatch Lambda sends to.
 */
const ACCEPTED = [
  'tag:fleet-compliance=enabled',
  'tag:cluster=prod-eu-1,prod-us-1;tag:env=prod',
  ' tag:team = platform , data ',
  'tag:a=1;tag:b=2;tag:c=3;tag:d=4;tag:e=5',
  'tag:k=1,2,3,4,5',
  'tag:aws:autoscaling:groupName=workers',
  'ids:i-0123456789abcdef0',
  'ids:i-01234567,mi-0123456789abcdef0, i-0123456789abcdef0',
];

describe('parseTargetContext', () => {
  it.for(ACCEPTED)('reads %j as the runtime does', (spec) => {
    const ours = parseTargetContext('targets', spec);
    expect(formatTargetSpec(ours)).toBe(formatTargets(parseTargetSpec(spec)));
  });

  it('splits tags into ANDed keys with ORed values', () => {
    expect(parseTargetContext('targets', 'tag:cluster=a,b;tag:env=prod')).toEqual({
      kind: 'tags',
      tags: [
        { key: 'cluster', values: ['a', 'b'] },
        { key: 'env', values: ['prod'] },
      ],
    });
  });

  it.for([
    { spec: 'tag:a=1;tag:b=2;tag:c=3;tag:d=4;tag:e=5;tag:f=6', problem: /at most 5/ },
    { spec: 'tag:k=1,2,3,4,5,6', problem: /1 to 5 values/ },
    { spec: 'tag:k=', problem: /1 to 5 values/ },
    { spec: 'tag:env=prod;tag:env=dev', problem: /appears twice/ },
    { spec: 'ids:', problem: /names no instance id/ },
    { spec: 'ids:i-XYZ', problem: /not a node id/ },
    { spec: 'env=prod', problem: /not tag:KEY=VALUE/ },
  ])('refuses $spec', ({ spec, problem }) => {
    expect(() => parseTargetContext('targets', spec)).toThrow(problem);
  });

  it('is stricter than the runtime only on a repeated tag key', () => {
    // SSM would AND the same key twice (no node matches both values); the stack refuses it rather
    // than merge two value lists into one IAM condition that would allow either.
    expect(() => parseTargetSpec('tag:env=prod;tag:env=dev')).not.toThrow();
    for (const spec of ['tag:k=1,2,3,4,5,6', 'ids:i-XYZ', 'env=prod'])
      expect(() => parseTargetSpec(spec)).toThrow();
  });
});
