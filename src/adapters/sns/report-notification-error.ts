import { AppError } from '../../core/errors.ts';

/** SNS refused the report summary; names the topic, keeps the SDK error as `cause`. */
export class ReportNotificationError extends AppError {
  override name = 'ReportNotificationError';
  readonly topicArn: string;

  constructor(topicArn: string, cause: unknown) {
    super(
      'report.notification',
      `SNS Publish to ${topicArn} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      { cause },
    );
    this.topicArn = topicArn;
  }
}
