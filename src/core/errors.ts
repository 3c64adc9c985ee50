/**
 * Base of every error the product raises on purpose. `code` is stable (scripts and tests match on
 * it); the message names the bad input; `cause` keeps the underlying failure.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Narrows an unknown thrown value to a message fit for one line of stderr. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
