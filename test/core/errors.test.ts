import { describe, expect, it } from 'vitest';
import { AppError, describeError } from '../../src/core/errors.ts';

describe('AppError', () => {
  it('keeps a stable code and the cause', () => {
    const cause = new Error('inner');
    const error = new AppError('x.y', 'outer', { cause });
    expect(error.code).toBe('x.y');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it.for([
    [new Error('boom'), 'boom'],
    ['plain', 'plain'],
    [42, '42'],
  ] as const)('describes %s as one line', ([value, expected]) => {
    expect(describeError(value)).toBe(expected);
  });
});
