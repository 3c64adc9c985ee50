import { AppError } from '../errors.ts';

/** An advisory file failed validation; the message names the file, the advisory and the field. */
export class InvalidAdvisoryError extends AppError {
  override name = 'InvalidAdvisoryError';
  readonly source: string;
  readonly advisoryId?: string;
  readonly field: string;

  constructor(source: string, field: string, problem: string, advisoryId?: string, options?: ErrorOptions) {
    const where = advisoryId ? `advisory ${advisoryId}, field ${field}` : `field ${field}`;
    super('advisory.invalid', `${source}: ${where}: ${problem}`, options);
    this.source = source;
    this.advisoryId = advisoryId;
    this.field = field;
  }
}
