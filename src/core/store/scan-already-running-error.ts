import { AppError } from '../errors.ts';

/** Another scan holds the run lock (an overlapping schedule or a duplicate EventBridge delivery). */
export class ScanAlreadyRunningError extends AppError {
  override name = 'ScanAlreadyRunningError';
  readonly holderRunId: string | undefined;
  readonly expiresAt: Date | undefined;

  constructor(
    requestedRunId: string,
    holder: { runId: string; expiresAt: Date } | undefined,
    options?: ErrorOptions,
  ) {
    const by = holder
      ? `run ${holder.runId} holds the scan lock until ${holder.expiresAt.toISOString()}`
      : 'another run holds the scan lock';
    super('store.scan-already-running', `cannot start run ${requestedRunId}: ${by}`, options);
    this.holderRunId = holder?.runId;
    this.expiresAt = holder?.expiresAt;
  }
}
