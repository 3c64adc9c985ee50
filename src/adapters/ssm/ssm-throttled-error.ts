import { AppError } from '../../core/errors.ts';

/** SSM kept throttling after the SDK's own retries (adaptive mode, 10 attempts). */
export class SsmThrottledError extends AppError {
  override name = 'SsmThrottledError';
  readonly operation: string;

  constructor(operation: string, options?: ErrorOptions) {
    super('ssm.throttled', `SSM throttled ${operation} after retries; try again later`, options);
    this.operation = operation;
  }
}
