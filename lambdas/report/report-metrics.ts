import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ComplianceReport } from '../../src/core/report/compliance-report.ts';

/**
 * CloudWatch metrics one report emits. The scan already emits the status counts of each scan
 * (NodesAtRisk...); the report adds what only it knows (changes between scans, nodes gone quiet)
 * and how old the scan it describes is, under names of its own so nothing is counted twice.
 */
export const REPORT_METRICS = {
  atRisk: 'ReportNodesAtRisk',
  hangs: 'ReportHangsInProgress',
  newlyAtRisk: 'ReportNewlyAtRisk',
  remediated: 'ReportRemediated',
  newlyUnreachable: 'ReportNewlyUnreachable',
  newNodes: 'ReportNewNodes',
  notSeen: 'ReportNodesNotSeen',
  scanAge: 'ReportScanAgeSeconds',
} as const;

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The part of Powertools Metrics used here (tests pass a recorder). */
export interface ReportMetricsSink {
  addMetric(name: string, unit: Unit, value: number): unknown;
  publishStoredMetrics(): void;
}

/** Adds one report's counts; the caller publishes. New nodes only when the report could know them. */
export function addReportMetrics(sink: ReportMetricsSink, report: ComplianceReport): void {
  const { totals, changes } = report;
  sink.addMetric(REPORT_METRICS.atRisk, MetricUnit.Count, totals.byStatus.AT_RISK);
  sink.addMetric(REPORT_METRICS.hangs, MetricUnit.Count, totals.hangs);
  sink.addMetric(REPORT_METRICS.newlyAtRisk, MetricUnit.Count, changes.newlyAtRisk.length);
  sink.addMetric(REPORT_METRICS.remediated, MetricUnit.Count, changes.remediated.length);
  sink.addMetric(REPORT_METRICS.newlyUnreachable, MetricUnit.Count, changes.newlyUnreachable.length);
  if (changes.newNodesKnown)
    sink.addMetric(REPORT_METRICS.newNodes, MetricUnit.Count, changes.newNodes.length);
  sink.addMetric(REPORT_METRICS.notSeen, MetricUnit.Count, totals.notInLatestScan);
  const finished = Date.parse(report.scan.finishedAt ?? report.scan.startedAt);
  const age = Math.max(0, Math.round((Date.parse(report.generatedAt) - finished) / 1000));
  if (Number.isFinite(age)) sink.addMetric(REPORT_METRICS.scanAge, MetricUnit.Seconds, age);
}
