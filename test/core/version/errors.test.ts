import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.ts';
import { InvalidVersionError } from '../../../src/core/version/errors.ts';

describe('InvalidVersionError', () => {
  it('names the scheme, the input and the reason, with a stable code', () => {
    const error = new InvalidVersionError('dpkg', '1:', 'epoch without version');
    expect(error).toBeInstanceOf(AppError);
    expect(error.name).toBe('InvalidVersionError');
    expect(error.code).toBe('version.invalid');
    expect(error.scheme).toBe('dpkg');
    expect(error.input).toBe('1:');
    expect(error.reason).toBe('epoch without version');
    expect(error.message).toBe('invalid dpkg version "1:": epoch without version');
  });

  it('keeps the cause', () => {
    const cause = new Error('inner');
    expect(new InvalidVersionError('rpm', 'x', 'y', { cause }).cause).toBe(cause);
  });

  it('escapes control characters so a hostile version cannot forge log lines', () => {
    const error = new InvalidVersionError('upstream', '1.0\nerror: forged', 'invalid character "\\n"');
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('"1.0\\nerror: forged"');
  });

  it('shortens a long input in the message but keeps all of it on the error', () => {
    const input = 'x'.repeat(300);
    const error = new InvalidVersionError('rpm', input, 'longer than 256 characters');
    expect(error.message).toBe(
      `invalid rpm version "${'x'.repeat(80)}"… (300 characters): longer than 256 characters`,
    );
    expect(error.input).toBe(input);
  });
});
