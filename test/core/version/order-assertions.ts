import { expect } from 'vitest';
import type { Comparison } from '../../../src/core/version/comparison.ts';

type Compare = (a: string, b: string) => Comparison;

function negate(expected: Comparison): Comparison {
  return expected === 0 ? 0 : expected === 1 ? -1 : 1;
}

/** The four asserts every comparison row gets: a ? b, b ? a, a = a, b = b. */
export function expectComparedBothWays(compare: Compare, a: string, b: string, expected: Comparison): void {
  expect(compare(a, b), `${a} vs ${b}`).toBe(expected);
  expect(compare(b, a), `${b} vs ${a}`).toBe(negate(expected));
  expect(compare(a, a), `${a} vs itself`).toBe(0);
  expect(compare(b, b), `${b} vs itself`).toBe(0);
}

/** The rung at `index` of an ascending ladder sorts after every lower rung and before every higher one. */
export function expectRungInPlace(compare: Compare, ladder: readonly string[], index: number): void {
  const rung = ladder[index]!;
  ladder.forEach((other, j) => {
    const expected: Comparison = index < j ? -1 : index > j ? 1 : 0;
    expect(compare(rung, other), `${rung} vs ${other}`).toBe(expected);
    expect(compare(other, rung), `${other} vs ${rung}`).toBe(negate(expected));
  });
}

/** Every pair (i < j) of an ascending ladder with its expected answer, for differential checks. */
export function ladderPairs(ladder: readonly string[]): [string, string, Comparison][] {
  const pairs: [string, string, Comparison][] = [];
  for (let i = 0; i < ladder.length; i++) {
    for (let j = i + 1; j < ladder.length; j++) pairs.push([ladder[i]!, ladder[j]!, -1]);
  }
  return pairs;
}
