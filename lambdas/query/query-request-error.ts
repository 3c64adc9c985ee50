import { AppError } from '../../src/core/errors.ts';

/** A request the routes refuse: its status and a message naming the bad part. */
export class QueryRequestError extends AppError {
  override name = 'QueryRequestError';
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super('query.bad-request', message);
    this.statusCode = statusCode;
  }
}
