import { AppError } from '../core/errors.ts';

/** The command line was wrong (exit 2); the message says how. */
export class UsageError extends AppError {
  override name = 'UsageError';
  constructor(message: string) {
    super('cli.usage', message);
  }
}
