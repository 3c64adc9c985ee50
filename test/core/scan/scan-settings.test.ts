import { describe, expect, it } from 'vitest';
import { checkRateControl, chunk, formatTargets, parseTargetSpec } from '../../../src/core/scan/scan-settings.ts';

describe('parseTargetSpec', () => {
  it('reads tag filters, keys ANDed and values ORed', () => {
    const t = parseTargetSpec('tag:cluster=prod-eu-1, prod-us-1;tag:env=prod');
    expect(t).toEqual({
      kind: 'tags',
      tags: [
        { key: 'cluster', values: ['prod-eu-1', 'prod-us-1'] },
        { key: 'env', values: ['prod'] },
      ],
    });
    expect(parseTargetSpec(formatTargets(t))).toEqual(t);
  });

  it('reads instance ids, hybrid ones included, without duplicates', () => {
    expect(parseTargetSpec('ids:i-0123456789abcdef0,mi-0123456789abcdef0,i-0123456789abcdef0')).toEqual({
      kind: 'instances',
      ids: ['i-0123456789abcdef0', 'mi-0123456789abcdef0'],
    });
  });

  it.for([
    ['', /empty target spec/],
    ['cluster=prod', /is not tag:KEY=VALUE/],
    ['tag:a=1,2,3,4,5,6', /1 to 5 values/],
    ['tag:a=1;tag:b=1;tag:c=1;tag:d=1;tag:e=1;tag:f=1', /at most 5 tag keys/],
    ['ids:', /at least one/],
    ['ids:i-xyz', /not an instance id/],
  ] as const)('rejects %j', ([spec, message]) => {
    expect(() => parseTargetSpec(spec)).toThrow(message);
  });
});

describe('checkRateControl', () => {
  it.for(['1', '50', '25%', '100%', '0', '0%'])('accepts %s for MaxErrors', (v) => {
    expect(checkRateControl('maxErrors', v)).toBe(v);
  });
  it.for(['0', '101%', '-1', 'abc', '1.5', ''])('rejects %j for MaxConcurrency', (v) => {
    expect(() => checkRateControl('maxConcurrency', v)).toThrow(/maxConcurrency/);
  });
});

describe('chunk', () => {
  it('splits into groups of at most the size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 50)).toEqual([]);
  });
});
