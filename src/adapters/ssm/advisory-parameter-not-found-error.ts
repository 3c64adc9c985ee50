import { AppError } from '../../core/errors.ts';

/** The advisory parameter the stack names does not exist (ParameterNotFound). */
export class AdvisoryParameterNotFoundError extends AppError {
  override name = 'AdvisoryParameterNotFoundError';
  readonly parameterName: string;

  constructor(parameterName: string, options?: ErrorOptions) {
    super('ssm.advisory-parameter-not-found', `SSM parameter ${parameterName} does not exist`, options);
    this.parameterName = parameterName;
  }
}
