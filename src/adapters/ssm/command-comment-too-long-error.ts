import { AppError } from '../../core/errors.ts';

/**
 * SendCommand's Comment is at most 100 characters (API reference, SendCommand: "Length
 * Constraints: Maximum length of 100"). The comment is how a re-run finds its commands, so it
 * is refused, never cut.
 */
export class CommandCommentTooLongError extends AppError {
  override name = 'CommandCommentTooLongError';
  readonly comment: string;
  readonly limit: number;

  constructor(comment: string, limit: number) {
    super(
      'ssm.comment-too-long',
      `command comment is ${comment.length} characters, SSM allows ${limit} (a shorter run id fits): ${comment}`,
    );
    this.comment = comment;
    this.limit = limit;
  }
}
