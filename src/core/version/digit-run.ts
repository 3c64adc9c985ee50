import { isAsciiDigit } from './ascii.ts';
import type { Comparison } from './comparison.ts';

/**
 * Unbounded decimal numbers as strings: leading zeros stripped ("0" for zero). Versions come from
 * untrusted input and their digit runs may exceed 2^53, so they are never passed through Number().
 */
export type DigitString = string;

const ZERO = 48;

/** Compares s[start..end) and t[tStart..tEnd), both all digits, as integers of any length. */
export function compareDigitRuns(
  s: string,
  start: number,
  end: number,
  t: string,
  tStart: number,
  tEnd: number,
): Comparison {
  let i = start;
  let j = tStart;
  while (i < end && s.charCodeAt(i) === ZERO) i++;
  while (j < tEnd && t.charCodeAt(j) === ZERO) j++;
  const length = end - i;
  const tLength = tEnd - j;
  if (length !== tLength) return length > tLength ? 1 : -1;
  for (; i < end; i++, j++) {
    const c = s.charCodeAt(i);
    const d = t.charCodeAt(j);
    if (c !== d) return c > d ? 1 : -1;
  }
  return 0;
}

/** Compares two DigitStrings (already free of leading zeros): longer wins, then lexical order. */
export function compareDigitStrings(a: DigitString, b: DigitString): Comparison {
  if (a.length !== b.length) return a.length > b.length ? 1 : -1;
  if (a === b) return 0;
  return a > b ? 1 : -1;
}

/** s[start..end), all digits, as a DigitString. */
export function toDigitString(s: string, start: number, end: number): DigitString {
  let i = start;
  while (i < end - 1 && s.charCodeAt(i) === ZERO) i++;
  return s.slice(i, end);
}

/** Index of the first non-digit at or after `start` (or `end`). */
export function skipDigits(s: string, start: number, end: number): number {
  let i = start;
  while (i < end && isAsciiDigit(s.charCodeAt(i))) i++;
  return i;
}
