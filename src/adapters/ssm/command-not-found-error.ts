import { AppError } from '../../core/errors.ts';

/** SSM does not know the command (InvalidCommandId): a wrong id, or its history has expired. */
export class CommandNotFoundError extends AppError {
  override name = 'CommandNotFoundError';
  readonly commandId: string;

  constructor(commandId: string, options?: ErrorOptions) {
    super(
      'ssm.command-not-found',
      `SSM has no command ${commandId} (wrong id, or its history expired)`,
      options,
    );
    this.commandId = commandId;
  }
}
