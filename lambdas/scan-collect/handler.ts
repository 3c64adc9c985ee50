import { collectScan } from '../../src/pipeline/collect-step.ts';
import type { ScanState } from '../../src/pipeline/scan-state.ts';
import type { HandlerOptions } from '../shared/handler-options.ts';
import { logStepError } from '../shared/log-step-error.ts';
import { logger } from '../shared/powertools.ts';
import { type LambdaContextLike, lazyScanRuntime } from '../shared/scan-deps.ts';
import { parseScanState } from '../shared/scan-events.ts';

/**
 * One collect pass within the invocation's remaining time; the state machine loops until
 * `collected`, each pass resuming from the cursor the last one returned.
 */
export function createScanCollectHandler(options: HandlerOptions = {}) {
  const runtime = options.runtime ?? lazyScanRuntime(options.env);
  const log = options.logger ?? logger;
  return async (event: unknown, context?: LambdaContextLike): Promise<ScanState> => {
    try {
      const state = parseScanState('scan-collect', event);
      const deps = await runtime.deps(context, 'merged');
      const next = await collectScan(deps, state);
      log.info('scan collect pass', {
        runId: next.runId,
        requestId: context?.awsRequestId,
        pass: state.cursor.pass,
        budgetMs: deps.collectBudgetMs,
        nodes: next.tally.nodes,
        collected: next.collected,
      });
      return next;
    } catch (error) {
      throw logStepError(log, 'collect', error, context);
    }
  };
}

export const handler = createScanCollectHandler();
