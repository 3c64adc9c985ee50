import { failScan } from '../../src/pipeline/finalize-step.ts';
import type { HandlerOptions } from '../shared/handler-options.ts';
import { logStepError } from '../shared/log-step-error.ts';
import { logger } from '../shared/powertools.ts';
import { type LambdaContextLike, lazyScanRuntime } from '../shared/scan-deps.ts';
import { parseFailInput } from '../shared/scan-events.ts';
import { describeStepError } from './describe-step-error.ts';

export interface FailResult {
  readonly runId: string;
  readonly status: 'FAILED';
  readonly error: string;
}

/**
 * The state machine's Catch target. Input `{ state, error }`: the failed step's input (only
 * `{ runId, startedAt }` when dispatch itself failed) and the caught error. Writes the run FAILED
 * and releases the lock if this run holds it (failScan).
 */
export function createScanFailHandler(options: HandlerOptions = {}) {
  const runtime = options.runtime ?? lazyScanRuntime(options.env);
  const log = options.logger ?? logger;
  return async (event: unknown, context?: LambdaContextLike): Promise<FailResult> => {
    try {
      const { state, error } = parseFailInput(event);
      const deps = await runtime.deps(context, 'builtin');
      const message = describeStepError(error);
      await failScan(deps, state, message);
      log.warn('scan failed', { runId: state.runId, requestId: context?.awsRequestId, error: message });
      return { runId: state.runId, status: 'FAILED', error: message };
    } catch (error) {
      throw logStepError(log, 'fail', error, context);
    }
  };
}

export const handler = createScanFailHandler();
