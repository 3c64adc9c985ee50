import { AppError } from '../errors.ts';

/** The store holds no COMPLETE scan run yet, so there is nothing to report on. */
export class NoCompleteScanError extends AppError {
  override name = 'NoCompleteScanError';

  /** @param hint what the reader should do, e.g. "run `scan --local` first". */
  constructor(hint?: string) {
    super('report.no-complete-scan', `no complete scan in the store yet${hint ? `: ${hint}` : ''}`);
  }
}
