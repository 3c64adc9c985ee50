import type { EnvSource } from './env.ts';
import type { ScanRuntime } from './scan-deps.ts';

/** What a handler logs through (Powertools' Logger has these; tests pass a silent one). */
export interface StepLogger {
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/**
 * How a handler is built. The exported `handler` of each module uses none (process.env, the
 * Powertools singletons); tests pass their own environment, or one runtime shared by every step.
 */
export interface HandlerOptions {
  /** Read instead of process.env (ignored when `runtime` is given). */
  readonly env?: EnvSource;
  readonly runtime?: ScanRuntime;
  readonly logger?: StepLogger;
}
