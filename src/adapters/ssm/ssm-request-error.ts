import { AppError } from '../../core/errors.ts';

/** Any other failed SSM request; `awsCode` is the service's error name when there is one. */
export class SsmRequestError extends AppError {
  override name = 'SsmRequestError';
  readonly operation: string;
  readonly awsCode: string | undefined;

  constructor(operation: string, awsCode: string | undefined, detail: string, options?: ErrorOptions) {
    super(
      'ssm.request-failed',
      `SSM ${operation} failed${awsCode ? ` (${awsCode})` : ''}: ${detail}`,
      options,
    );
    this.operation = operation;
    this.awsCode = awsCode;
  }
}
