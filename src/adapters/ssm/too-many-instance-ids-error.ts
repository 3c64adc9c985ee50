import { AppError } from '../../core/errors.ts';

/**
 * SendCommand takes at most 50 InstanceIds; past that AWS has answered with a misleading
 * `ThrottlingException: Rate exceeded` (boto/botocore#993), so the adapter refuses before calling.
 */
export class TooManyInstanceIdsError extends AppError {
  override name = 'TooManyInstanceIdsError';
  readonly count: number;
  readonly limit: number;

  constructor(count: number, limit: number) {
    super('ssm.too-many-instance-ids', `SendCommand takes at most ${limit} instance ids, got ${count}`);
    this.count = count;
    this.limit = limit;
  }
}
