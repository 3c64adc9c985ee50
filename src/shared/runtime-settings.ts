/**
 * Environment variable names the CDK stack sets on the Lambdas and lambdas/shared/env.ts reads.
 * Data only (imports nothing) so lib/ may depend on it.
 */
export const ENV = {
  tableName: 'FLEET_TABLE_NAME',
  documentName: 'FLEET_PROBE_DOCUMENT',
  /** Target spec, e.g. `tag:fleet-compliance=enabled` or `tag:cluster=a,b;tag:env=prod`. */
  targets: 'FLEET_TARGETS',
  maxConcurrency: 'FLEET_MAX_CONCURRENCY',
  maxErrors: 'FLEET_MAX_ERRORS',
  deliveryTimeoutSeconds: 'FLEET_DELIVERY_TIMEOUT_SECONDS',
  deadlineSeconds: 'FLEET_SCAN_DEADLINE_SECONDS',
  tagKeys: 'FLEET_TAG_KEYS',
  historyRetentionDays: 'FLEET_HISTORY_RETENTION_DAYS',
  /** Optional SSM parameter name holding a user advisory catalog (JSON) that overrides built-ins. */
  advisoryParameter: 'FLEET_ADVISORY_PARAMETER',
  reportBucket: 'FLEET_REPORT_BUCKET',
  reportTopicArn: 'FLEET_REPORT_TOPIC_ARN',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** The Step Functions scan: Lambda steps in order, and the state they pass (see src/pipeline/scan-state.ts). */
export const SCAN_STEPS = ['dispatch', 'check', 'collect', 'finalize'] as const;

/** CloudWatch namespace of the Lambdas' metrics (and of the alarms on them). */
export const METRICS_NAMESPACE = 'FleetCompliance';

/** Default target: nodes carrying this tag key (value `enabled`) are scanned. */
export const DEFAULT_TARGET_TAG = 'fleet-compliance';
