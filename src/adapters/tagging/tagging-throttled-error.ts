import { AppError } from '../../core/errors.ts';

/** The Tagging API kept throttling (ThrottledException) after the SDK's own retries. */
export class TaggingThrottledError extends AppError {
  override name = 'TaggingThrottledError';
  readonly operation: string;

  constructor(operation: string, options?: ErrorOptions) {
    super(
      'tagging.throttled',
      `the Tagging API throttled ${operation} after retries; try again later`,
      options,
    );
    this.operation = operation;
  }
}
