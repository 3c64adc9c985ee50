import { AppError } from '../../core/errors.ts';

/** The command has no invocation on that node (InvocationDoesNotExist). */
export class InvocationNotFoundError extends AppError {
  override name = 'InvocationNotFoundError';
  readonly commandId: string;
  readonly instanceId: string;

  constructor(commandId: string, instanceId: string, options?: ErrorOptions) {
    super('ssm.invocation-not-found', `command ${commandId} has no invocation on ${instanceId}`, options);
    this.commandId = commandId;
    this.instanceId = instanceId;
  }
}
