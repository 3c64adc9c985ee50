import { finalizeScan } from '../../src/pipeline/finalize-step.ts';
import type { ScanSummary } from '../../src/pipeline/scan-state.ts';
import type { HandlerOptions } from '../shared/handler-options.ts';
import { logStepError } from '../shared/log-step-error.ts';
import { logger, metrics } from '../shared/powertools.ts';
import { type LambdaContextLike, lazyScanRuntime } from '../shared/scan-deps.ts';
import { parseScanState } from '../shared/scan-events.ts';
import { addScanMetrics, type ScanMetricsSink } from './scan-metrics.ts';

export interface FinalizeHandlerOptions extends HandlerOptions {
  /** Default: the Powertools Metrics singleton. */
  readonly metrics?: ScanMetricsSink;
}

/** Closes the run (coverage, counts, COMPLETE, lock released) and emits its metrics. */
export function createScanFinalizeHandler(options: FinalizeHandlerOptions = {}) {
  const runtime = options.runtime ?? lazyScanRuntime(options.env);
  const log = options.logger ?? logger;
  const sink = options.metrics ?? metrics;
  return async (event: unknown, context?: LambdaContextLike): Promise<ScanSummary> => {
    try {
      const state = parseScanState('scan-finalize', event);
      const summary = await finalizeScan(await runtime.deps(context, 'builtin'), state);
      addScanMetrics(sink, summary);
      sink.publishStoredMetrics();
      log.info('scan complete', {
        runId: summary.runId,
        requestId: context?.awsRequestId,
        targeted: summary.targeted,
        byStatus: summary.byStatus,
        missing: summary.coverage.missing,
      });
      return summary;
    } catch (error) {
      throw logStepError(log, 'finalize', error, context);
    }
  };
}

export const handler = createScanFinalizeHandler();
