import { checkScan } from '../../src/pipeline/check-step.ts';
import type { ScanState } from '../../src/pipeline/scan-state.ts';
import type { HandlerOptions } from '../shared/handler-options.ts';
import { logStepError } from '../shared/log-step-error.ts';
import { logger } from '../shared/powertools.ts';
import { type LambdaContextLike, lazyScanRuntime } from '../shared/scan-deps.ts';
import { parseScanState } from '../shared/scan-events.ts';

/** Looks at the commands once; the state machine waits and calls again until `ready`. */
export function createScanCheckHandler(options: HandlerOptions = {}) {
  const runtime = options.runtime ?? lazyScanRuntime(options.env);
  const log = options.logger ?? logger;
  return async (event: unknown, context?: LambdaContextLike): Promise<ScanState> => {
    try {
      const state = parseScanState('scan-check', event);
      const next = await checkScan(await runtime.deps(context, 'builtin'), state);
      log.info('scan checked', {
        runId: next.runId,
        requestId: context?.awsRequestId,
        ready: next.ready,
        finished: next.commands.filter((c) => c.finished).length,
        commands: next.commands.length,
      });
      return next;
    } catch (error) {
      throw logStepError(log, 'check', error, context);
    }
  };
}

export const handler = createScanCheckHandler();
