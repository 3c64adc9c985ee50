import { AppError } from '../../src/core/errors.ts';

/** A handler got an event it cannot read (a state machine wired to the wrong step, or hand-made input). */
export class InvalidScanEventError extends AppError {
  override name = 'InvalidScanEventError';
  readonly handler: string;
  readonly field: string;

  constructor(handler: string, field: string, problem: string) {
    super('lambda.invalid-event', `${handler} event: ${field} ${problem}`);
    this.handler = handler;
    this.field = field;
  }
}
