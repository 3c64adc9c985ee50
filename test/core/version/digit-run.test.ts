import { describe, expect, it } from 'vitest';
import {
  compareDigitRuns,
  compareDigitStrings,
  skipDigits,
  toDigitString,
} from '../../../src/core/version/digit-run.ts';
import { expectComparedBothWays } from './order-assertions.ts';

const compareWhole = (a: string, b: string) => compareDigitRuns(a, 0, a.length, b, 0, b.length);

describe('compareDigitRuns', () => {
  it.for([
    ['1', '2', -1],
    ['10', '9', 1],
    ['007', '7', 0],
    ['000', '0', 0],
    ['', '0', 0],
    ['', '1', -1],
    ['123456789012345678901234567890', '123456789012345678901234567891', -1],
    ['99999999999999999999', '100000000000000000000', -1],
  ] as const)('compares %s with %s as integers: %d', ([a, b, expected]) => {
    expectComparedBothWays(compareWhole, a, b, expected);
  });

  it('compares only the given ranges', () => {
    expect(compareDigitRuns('x0012y', 1, 5, '12', 0, 2)).toBe(0);
  });
});

describe('compareDigitStrings', () => {
  it.for([
    ['9', '10', -1],
    ['10', '11', -1],
    ['42', '42', 0],
    ['18446744073709551616', '18446744073709551615', 1],
  ] as const)('orders %s and %s by length, then lexically: %d', ([a, b, expected]) => {
    expectComparedBothWays(compareDigitStrings, a, b, expected);
  });
});

describe('toDigitString', () => {
  it.for([
    ['0', '0'],
    ['000', '0'],
    ['0042', '42'],
    ['42', '42'],
  ] as const)('normalises %s to %s', ([digits, expected]) => {
    expect(toDigitString(`v${digits}.`, 1, digits.length + 1)).toBe(expected);
  });
});

describe('skipDigits', () => {
  it('stops at the first non-digit or at the end', () => {
    expect(skipDigits('123abc', 0, 6)).toBe(3);
    expect(skipDigits('123', 1, 3)).toBe(3);
    expect(skipDigits('123', 0, 2)).toBe(2);
    expect(skipDigits('abc', 0, 3)).toBe(0);
  });
});
