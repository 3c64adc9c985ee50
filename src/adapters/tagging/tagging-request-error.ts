import { AppError } from '../../core/errors.ts';

/** Any other failed Tagging API request; `awsCode` is the service's error name when there is one. */
export class TaggingRequestError extends AppError {
  override name = 'TaggingRequestError';
  readonly operation: string;
  readonly awsCode: string | undefined;

  constructor(operation: string, awsCode: string | undefined, detail: string, options?: ErrorOptions) {
    super(
      'tagging.request-failed',
      `Tagging API ${operation} failed${awsCode ? ` (${awsCode})` : ''}: ${detail}`,
      options,
    );
    this.operation = operation;
    this.awsCode = awsCode;
  }
}
