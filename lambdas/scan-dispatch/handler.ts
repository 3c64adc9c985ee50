import { dispatchScan } from '../../src/pipeline/dispatch-step.ts';
import type { ScanState } from '../../src/pipeline/scan-state.ts';
import type { HandlerOptions } from '../shared/handler-options.ts';
import { logStepError } from '../shared/log-step-error.ts';
import { logger } from '../shared/powertools.ts';
import { type LambdaContextLike, lazyScanRuntime } from '../shared/scan-deps.ts';
import { parseDispatchInput } from '../shared/scan-events.ts';

/**
 * First step. Event `{ runId, startedAt }`: the execution name and start time, so a retried
 * dispatch is the same run and finds the commands it already sent.
 */
export function createScanDispatchHandler(options: HandlerOptions = {}) {
  const runtime = options.runtime ?? lazyScanRuntime(options.env);
  const log = options.logger ?? logger;
  return async (event: unknown, context?: LambdaContextLike): Promise<ScanState> => {
    try {
      const input = parseDispatchInput(event);
      const deps = await runtime.deps(context, 'merged');
      const state = await dispatchScan(deps, input);
      log.info('scan dispatched', {
        runId: state.runId,
        requestId: context?.awsRequestId,
        targets: state.targets,
        expected: state.expected,
        commandIds: state.commands.map((c) => c.commandId),
      });
      return state;
    } catch (error) {
      throw logStepError(log, 'dispatch', error, context);
    }
  };
}

export const handler = createScanDispatchHandler();
