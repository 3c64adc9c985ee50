import { AppError } from '../core/errors.ts';

/** `npm run bench` was given a bad option; the message names it. */
export class BenchUsageError extends AppError {
  override name = 'BenchUsageError';
  constructor(message: string) {
    super('bench.usage', message);
  }
}
