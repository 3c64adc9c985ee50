import { expect } from 'vitest';
import type { VersionScheme } from '../../../src/core/version/comparison.ts';
import { InvalidVersionError } from '../../../src/core/version/errors.ts';

/** parse(input) throws InvalidVersionError carrying the scheme, input and reason; tryParse gives undefined. */
export function expectRejected(
  scheme: VersionScheme,
  parse: (input: string) => unknown,
  tryParse: (input: string) => unknown,
  input: string,
  reason: string,
): void {
  expect(tryParse(input)).toBeUndefined();
  let thrown: unknown;
  try {
    parse(input);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidVersionError);
  const error = thrown as InvalidVersionError;
  expect({ code: error.code, scheme: error.scheme, input: error.input, reason: error.reason }).toEqual({
    code: 'version.invalid',
    scheme,
    input,
    reason,
  });
  // The message names the input (a long one by its first 80 characters).
  expect(error.message).toContain(JSON.stringify(input.slice(0, 80)));
}
