import { AppError } from '../../core/errors.ts';

/** S3 refused to store or return a report object; names the operation and the key, keeps the SDK error as `cause`. */
export class ReportStorageError extends AppError {
  override name = 'ReportStorageError';
  readonly operation: string;
  readonly key: string;

  constructor(operation: string, bucket: string, key: string, cause: unknown) {
    super(
      'report.storage',
      `S3 ${operation} of s3://${bucket}/${key} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      { cause },
    );
    this.operation = operation;
    this.key = key;
  }
}
