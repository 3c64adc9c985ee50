import { AppError } from '../errors.ts';

/** Any other failed store request; `awsCode` is the service's error name when there is one. */
export class StoreRequestError extends AppError {
  override name = 'StoreRequestError';
  readonly operation: string;
  readonly awsCode: string | undefined;

  constructor(operation: string, awsCode: string | undefined, detail: string, options?: ErrorOptions) {
    super('store.request-failed', `${operation} failed${awsCode ? ` (${awsCode})` : ''}: ${detail}`, options);
    this.operation = operation;
    this.awsCode = awsCode;
  }
}
