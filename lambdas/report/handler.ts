import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { describeError } from '../../src/core/errors.ts';
import { buildReport } from '../../src/core/report/build-report.ts';
import { NoCompleteScanError } from '../../src/core/report/no-complete-scan-error.ts';
import { type ReportBaseline, readReportBaseline } from '../../src/core/report/report-baseline.ts';
import { reportMessage, reportSubject } from '../../src/core/report/report-summary.ts';
import { readReportSources } from '../../src/core/report/read-report-sources.ts';
import { renderReportFiles } from '../../src/core/report/render-report-files.ts';
import type { Clock } from '../../src/pipeline/ports.ts';
import { systemClock } from '../../src/adapters/system-clock.ts';
import type { EnvSource } from '../shared/env.ts';
import type { StepLogger } from '../shared/handler-options.ts';
import { logStepError } from '../shared/log-step-error.ts';
import { logger, metrics } from '../shared/powertools.ts';
import type { LambdaContextLike } from '../shared/scan-deps.ts';
import { addReportMetrics, type ReportMetricsSink } from './report-metrics.ts';
import { createReportRuntime, type ReportRuntime } from './report-runtime.ts';

export interface ReportHandlerOptions {
  /** Read instead of process.env (ignored when `runtime` is given). */
  readonly env?: EnvSource;
  readonly runtime?: ReportRuntime;
  readonly logger?: StepLogger;
  readonly metrics?: ReportMetricsSink;
  readonly clock?: Clock;
}

export type ReportResult =
  | {
      readonly status: 'written';
      readonly runId: string;
      readonly keys: readonly string[];
      readonly summary: string;
    }
  | { readonly status: 'skipped'; readonly reason: string };

/**
 * The scheduled report: reads the store, writes report.html/.json/.csv to S3 (the scan's folder
 * and `latest/`), publishes the summary to SNS and emits the report's metrics. Before any scan
 * has completed (right after deploy) it skips quietly; anything else that fails fails the
 * invocation (the ReportFailed alarm watches Lambda errors).
 */
export function createReportHandler(options: ReportHandlerOptions = {}) {
  const log = options.logger ?? logger;
  const sink = options.metrics ?? metrics;
  const clock = options.clock ?? systemClock;
  let runtime = options.runtime;
  return async (_event?: unknown, context?: LambdaContextLike): Promise<ReportResult> => {
    try {
      runtime ??= createReportRuntime(options.env);
      const now = clock.now();
      let sources: Awaited<ReturnType<typeof readReportSources>>;
      try {
        sources = await readReportSources(runtime.store, now);
      } catch (error) {
        if (!(error instanceof NoCompleteScanError)) throw error;
        log.warn('report skipped: no scan has completed yet', { requestId: context?.awsRequestId });
        return { status: 'skipped', reason: error.message };
      }
      const [baseline, catalog] = await Promise.all([readBaseline(runtime, log), readCatalog(runtime, log)]);
      const report = buildReport({
        ...sources,
        now,
        advisories: catalog.advisories,
        ...(baseline === undefined ? {} : { baseline }),
      });
      const stored = await runtime.bucket.putReport(report.scan, renderReportFiles(report));
      if (runtime.topic) {
        const links = [`${stored.prefix}report.html`, `${stored.latestPrefix}report.html`].map((key) =>
          runtime!.bucket.url(key),
        );
        await runtime.topic.publishSummary(reportSubject(report), reportMessage(report, links));
      }
      addReportMetrics(sink, report);
      sink.publishStoredMetrics();
      log.info('report written', {
        requestId: context?.awsRequestId,
        runId: report.scan.runId,
        nodes: report.totals.nodes,
        byStatus: report.totals.byStatus,
        prefix: stored.prefix,
        warnings: report.warnings.length,
      });
      return { status: 'written', runId: report.scan.runId, keys: stored.keys, summary: report.summary };
    } catch (error) {
      throw logStepError(log, 'report', error, context);
    }
  };
}

/** The previous report's node list (for new nodes); its absence or an unreadable one only costs that. */
async function readBaseline(runtime: ReportRuntime, log: StepLogger): Promise<ReportBaseline | undefined> {
  try {
    return readReportBaseline(await runtime.bucket.readLatestReportJson());
  } catch (error) {
    log.warn('earlier report not read: new nodes will not be named', { error: describeError(error) });
    return undefined;
  }
}

/** A broken user catalog must not stop the report: the built-in titles are used and the failure logged. */
async function readCatalog(runtime: ReportRuntime, log: StepLogger) {
  try {
    return await runtime.catalog();
  } catch (error) {
    log.warn('user advisory catalog not loaded: the report shows built-in titles only', {
      error: describeError(error),
    });
    return builtinCatalog();
  }
}

export const handler = createReportHandler();
