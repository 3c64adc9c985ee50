import { describe, expect, it } from 'vitest';
import { isAsciiAlphanumeric, isAsciiDigit, isAsciiLetter } from '../../../src/core/version/ascii.ts';

const code = (character: string): number => character.charCodeAt(0);

describe('ASCII character classes', () => {
  it.for([
    ['0', true, false],
    ['9', true, false],
    ['a', false, true],
    ['z', false, true],
    ['A', false, true],
    ['Z', false, true],
    ['/', false, false],
    [':', false, false],
    ['@', false, false],
    ['[', false, false],
    ['`', false, false],
    ['{', false, false],
    ['~', false, false],
    ['é', false, false],
    ['٣', false, false],
  ] as const)('classifies %s as digit=%s letter=%s', ([character, digit, letter]) => {
    expect(isAsciiDigit(code(character))).toBe(digit);
    expect(isAsciiLetter(code(character))).toBe(letter);
    expect(isAsciiAlphanumeric(code(character))).toBe(digit || letter);
  });

  it('treats the end-of-string marker -1 and NaN as no class', () => {
    for (const value of [-1, Number.NaN]) {
      expect(isAsciiDigit(value) || isAsciiLetter(value)).toBe(false);
    }
  });
});
