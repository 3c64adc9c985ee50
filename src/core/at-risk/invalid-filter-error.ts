import { AppError } from '../errors.ts';

/** A filter of the at-risk list (tag, severity, status, format) could not be understood. */
export class InvalidFilterError extends AppError {
  override name = 'InvalidFilterError';
  /** The filter as the caller named it: `--tag`, `severity`, ... */
  readonly filter: string;
  readonly value: string;

  constructor(filter: string, value: string, problem: string) {
    super('at-risk.invalid-filter', `${filter} ${JSON.stringify(value)}: ${problem}`);
    this.filter = filter;
    this.value = value;
  }
}
