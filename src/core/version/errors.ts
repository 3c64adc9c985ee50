import { AppError } from '../errors.ts';
import type { VersionScheme } from '../verdict.ts';

/** Inputs longer than this are shown truncated in messages; the full input stays on `input`. */
const SHOWN_INPUT_LENGTH = 80;

/** A version string that its scheme's grammar rejects. Parsers throw nothing else. */
export class InvalidVersionError extends AppError {
  override name = 'InvalidVersionError';
  readonly scheme: VersionScheme;
  readonly input: string;
  readonly reason: string;

  constructor(scheme: VersionScheme, input: string, reason: string, options?: ErrorOptions) {
    super('version.invalid', `invalid ${scheme} version ${showInput(input)}: ${reason}`, options);
    this.scheme = scheme;
    this.input = input;
    this.reason = reason;
  }
}

/** JSON quoting escapes control characters, so a hostile input cannot forge extra log lines. */
function showInput(input: string): string {
  if (input.length <= SHOWN_INPUT_LENGTH) return JSON.stringify(input);
  return `${JSON.stringify(input.slice(0, SHOWN_INPUT_LENGTH))}… (${input.length} characters)`;
}
