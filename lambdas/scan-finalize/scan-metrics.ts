import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { VerdictStatus } from '../../src/core/verdict.ts';
import type { ScanSummary } from '../../src/pipeline/scan-state.ts';

/**
 * CloudWatch metric names a finished scan emits (one value per scan; alarms and dashboards
 * name them). One metric per status rather than a status dimension: Powertools applies
 * dimensions to the whole batch, and an alarm on "AT_RISK > 0" wants its own metric anyway.
 */
export const SCAN_METRICS = {
  targeted: 'NodesTargeted',
  byStatus: {
    AT_RISK: 'NodesAtRisk',
    PENDING_REBOOT: 'NodesPendingReboot',
    COMPLIANT: 'NodesCompliant',
    UNKNOWN: 'NodesUnknown',
    UNREACHABLE: 'NodesUnreachable',
  } satisfies Record<VerdictStatus, string>,
  hangs: 'HangsInProgress',
  coverageMissing: 'CoverageMissing',
  refetched: 'OutputsRefetched',
} as const;

/** The part of Powertools Metrics used here (tests pass a recorder). */
export interface ScanMetricsSink {
  addMetric(name: string, unit: typeof MetricUnit.Count, value: number): unknown;
  publishStoredMetrics(): void;
}

/** Adds one scan's counts; the caller publishes (one EMF line per invocation). */
export function addScanMetrics(sink: ScanMetricsSink, summary: ScanSummary): void {
  sink.addMetric(SCAN_METRICS.targeted, MetricUnit.Count, summary.targeted);
  for (const [status, name] of Object.entries(SCAN_METRICS.byStatus) as [VerdictStatus, string][]) {
    sink.addMetric(name, MetricUnit.Count, summary.byStatus[status] ?? 0);
  }
  sink.addMetric(SCAN_METRICS.hangs, MetricUnit.Count, summary.hangs);
  sink.addMetric(SCAN_METRICS.coverageMissing, MetricUnit.Count, summary.coverage.missing);
  sink.addMetric(SCAN_METRICS.refetched, MetricUnit.Count, summary.refetched);
}
