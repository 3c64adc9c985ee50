import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ReportNotificationError } from './report-notification-error.ts';

/** SNS limits (Publish API reference): subject 100 ASCII characters, message 256 KiB. */
export const SNS_SUBJECT_MAX_CHARS = 100;
export const SNS_MESSAGE_MAX_BYTES = 256 * 1024;

export interface ReportTopicOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

/** The topic report summaries go to (e-mail subscribers read the subject first). */
export class ReportTopic {
  private readonly client: SNSClient;
  private readonly topicArn: string;

  constructor(options: ReportTopicOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
  }

  /** Publishes one summary; subject and message are fitted to SNS's limits. Returns the message id. */
  async publishSummary(subject: string, message: string): Promise<string | undefined> {
    try {
      const output = await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: fitSubject(subject),
          Message: fitMessage(message),
        }),
      );
      return output.MessageId;
    } catch (error) {
      throw new ReportNotificationError(this.topicArn, error);
    }
  }
}

/**
 * SNS rejects a subject with line breaks or characters outside printable ASCII, or over 100
 * characters: those are replaced and the rest cut with `...`.
 */
export function fitSubject(subject: string): string {
  const ascii =
    subject
      .replace(/[\r\n\t]+/g, ' ')
      .replace(/[^\x20-\x7e]/g, '?')
      .trim() || 'fleet-compliance report';
  return ascii.length <= SNS_SUBJECT_MAX_CHARS ? ascii : `${ascii.slice(0, SNS_SUBJECT_MAX_CHARS - 3)}...`;
}

/** Cuts a message over 256 KiB (UTF-8) at a character boundary and says so. */
export function fitMessage(message: string): string {
  if (Buffer.byteLength(message, 'utf8') <= SNS_MESSAGE_MAX_BYTES) return message;
  const note = '\n[message cut to fit SNS; the full report is in the bucket]\n';
  const budget = SNS_MESSAGE_MAX_BYTES - Buffer.byteLength(note, 'utf8');
  const bytes = Buffer.from(message, 'utf8');
  // Back off to the start of the character the budget falls in (UTF-8 continuation bytes are 10xxxxxx).
  let end = budget;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8') + note;
}
