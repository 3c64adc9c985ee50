/**
 * A CDK context value the stack cannot be built from. Thrown at synth, before anything is created,
 * so a bad `-c key=value` never reaches CloudFormation. The message names the key and the value.
 */
export class InvalidContextError extends Error {
  override name = 'InvalidContextError';
  readonly code = 'context.invalid';
  /** The context key, as written after `-c`. */
  readonly key: string;

  constructor(key: string, problem: string, options?: ErrorOptions) {
    super(`context "${key}": ${problem}`, options);
    this.key = key;
  }
}
