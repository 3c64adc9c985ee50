/**
 * An error the simulator answers on the wire, shaped as AWS JSON 1.1 services do: HTTP 400 (or
 * `status`) with `{"__type": code, "message": ...}`. The SDK maps `code` to its modeled exception
 * class (ThrottlingException, InvalidCommandId, InvocationDoesNotExist...).
 */
export class WireError extends Error {
  override name = 'WireError';
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** AWS's wording for a request field that breaks a constraint. */
export function validationError(field: string, value: unknown, constraint: string): WireError {
  return new WireError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}
