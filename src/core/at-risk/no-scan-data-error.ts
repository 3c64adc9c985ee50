import { AppError } from '../errors.ts';

/** There is nothing to read yet (no local store, or no simulated fleet); the hint says what to run. */
export class NoScanDataError extends AppError {
  override name = 'NoScanDataError';

  constructor(hint: string) {
    super('at-risk.no-scan-data', `no scan data yet; ${hint}`);
  }
}
