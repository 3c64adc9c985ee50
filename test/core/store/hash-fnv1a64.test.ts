import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashFnv1a64 } from '../../../src/core/store/hash-fnv1a64.ts';

/** The textbook definition on BigInt: slow and obviously right, the oracle for the fast one. */
function referenceFnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = BigInt.asUintN(64, hash * 0x100000001b3n);
  }
  return hash.toString(16).padStart(16, '0');
}

describe('hashFnv1a64', () => {
  // Vectors from the FNV reference test suite (isthe.com/chongo/src/fnv/test_fnv.c, FNV1A_64).
  it.for([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ] as const)('hashes %j to %s', ([text, expected]) => {
    expect(hashFnv1a64(text)).toBe(expected);
  });

  it('agrees with the BigInt definition on any text, multi-byte UTF-8 included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 64 }), (text) => {
        expect(hashFnv1a64(text)).toBe(referenceFnv1a64(text));
      }),
      { numRuns: 300 },
    );
  });

  it('always gives 16 lowercase hex digits', () => {
    fc.assert(fc.property(fc.string(), (text) => /^[0-9a-f]{16}$/.test(hashFnv1a64(text))));
  });
});
