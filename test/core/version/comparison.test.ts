import { describe, expect, it } from 'vitest';
import { MAX_VERSION_LENGTH, toComparison } from '../../../src/core/version/comparison.ts';

describe('toComparison', () => {
  it.for([
    [-42, -1],
    [-0.5, -1],
    [0, 0],
    [-0, 0],
    [Number.NaN, 0],
    [3, 1],
    [Number.POSITIVE_INFINITY, 1],
  ] as const)('maps %d to %d', ([difference, expected]) => {
    expect(Object.is(toComparison(difference), expected)).toBe(true);
  });
});

describe('MAX_VERSION_LENGTH', () => {
  it('is 256 characters', () => {
    expect(MAX_VERSION_LENGTH).toBe(256);
  });
});
