import { checkRateControl, InvalidScanSettingsError } from '../../src/core/scan/scan-settings.ts';
import { InvalidContextError } from './invalid-context-error.ts';
import { parseScheduleContext, type ScheduleSpec } from './schedule-expression.ts';
import { formatTargetSpec, parseTargetContext, type TargetSpec } from './target-spec.ts';

/**
 * The context keys the stack reads (`-c key=value` or cdk.json "context") and their defaults.
 * cdk.json repeats these defaults so users see them; a test keeps the two equal. An empty string
 * turns an optional setting off.
 */
export const CONTEXT_DEFAULTS = {
  /** Nodes to scan: `tag:KEY=V1,V2[;tag:KEY2=V3]` (keys ANDed, values ORed) or `ids:i-...,mi-...`. */
  targets: 'tag:fleet-compliance=enabled',
  /** When scans start (EventBridge Scheduler, UTC). */
  scanSchedule: 'rate(6 hours)',
  /** When the compliance report is written (EventBridge Scheduler, UTC): daily at 06:30. */
  reportSchedule: 'cron(30 6 * * ? *)',
  /** SSM MaxConcurrency: nodes probed at once, a count or a percentage of the targets. */
  maxConcurrency: '25%',
  /**
   * SSM MaxErrors. SSM's default 0 stops a fleet scan at the first node whose probe fails, hiding
   * every node after it; the probe changes nothing, so the scan runs on and stops only when a
   * quarter of the nodes fail (a sign the document or the agents are broken, not the nodes).
   */
  maxErrors: '25%',
  /** SSM TimeoutSeconds: how long a command waits to be delivered to an offline node. */
  deliveryTimeoutSeconds: 600,
  /** How long a scan waits for stragglers before it collects what it has. */
  scanDeadlineSeconds: 1800,
  /** Node tags kept with each result (at-risk filters, campaign grouping). */
  tagKeys: 'Name,cluster,az',
  /** Days a node's history items stay in the table (DynamoDB TTL). */
  historyRetentionDays: 90,
  /** Days report objects stay in the report bucket. */
  reportRetentionDays: 365,
  /** Email address subscribed to report summaries and scan-failure alarms (empty: none). */
  reportEmail: '',
  /** SSM parameter holding a user advisory catalog (JSON) that extends the built-in one (empty: none). */
  advisoryParameterName: '',
  /** CloudWatch Logs retention of every log group the stack creates. */
  logRetentionDays: 90,
} as const;

export type ContextKey = keyof typeof CONTEXT_DEFAULTS;

export interface StackConfig {
  readonly targets: TargetSpec;
  /** The targets in the runtime's spec form (FLEET_TARGETS). */
  readonly targetsText: string;
  readonly scanSchedule: ScheduleSpec;
  readonly reportSchedule: ScheduleSpec;
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  readonly deliveryTimeoutSeconds: number;
  readonly scanDeadlineSeconds: number;
  readonly tagKeys: readonly string[];
  readonly historyRetentionDays: number;
  readonly reportRetentionDays: number;
  readonly reportEmail?: string;
  readonly advisoryParameterName?: string;
  readonly logRetentionDays: number;
}

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** SSM `TimeoutSeconds` range. */
const DELIVERY_TIMEOUT_RANGE = [30, 2_592_000] as const;
/** A scan waits at least a minute and at most a day (the lock lease and alarms assume it). */
const SCAN_DEADLINE_RANGE = [60, 86_400] as const;
const RETENTION_RANGE = [1, 3650] as const;
const MAX_TAG_KEYS = 20;

/**
 * Builds the stack's configuration from CDK context. `lookup` is `app.node.tryGetContext` (or a
 * test's map). Every value is checked here, so synth fails with an error naming the key rather
 * than deploying something CloudFormation or the Lambdas reject later.
 */
export function readStackConfig(lookup: (key: string) => unknown): StackConfig {
  const read = (key: ContextKey): unknown => {
    const value = lookup(key);
    return value === undefined || value === null ? CONTEXT_DEFAULTS[key] : value;
  };
  const targets = parseTargetContext('targets', text(read('targets'), 'targets'));
  const scanSchedule = parseScheduleContext('scanSchedule', text(read('scanSchedule'), 'scanSchedule'));
  const reportSchedule = parseScheduleContext(
    'reportSchedule',
    text(read('reportSchedule'), 'reportSchedule'),
  );
  const scanDeadlineSeconds = integer(
    read('scanDeadlineSeconds'),
    'scanDeadlineSeconds',
    SCAN_DEADLINE_RANGE,
  );
  if (scanSchedule.intervalSeconds !== undefined && scanDeadlineSeconds >= scanSchedule.intervalSeconds) {
    throw new InvalidContextError(
      'scanDeadlineSeconds',
      `${scanDeadlineSeconds} s is not shorter than the scan interval ${scanSchedule.expression}: ` +
        'every scan would still hold the lock when the next one starts',
    );
  }
  const reportEmail = optionalText(read('reportEmail'), 'reportEmail');
  if (reportEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(reportEmail)) {
    throw new InvalidContextError('reportEmail', `"${reportEmail}" is not an email address`);
  }
  const advisoryParameterName = optionalText(read('advisoryParameterName'), 'advisoryParameterName');
  if (advisoryParameterName !== undefined) checkParameterName(advisoryParameterName);
  const logRetentionDays = integer(read('logRetentionDays'), 'logRetentionDays', [1, 3653]);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new InvalidContextError(
      'logRetentionDays',
      `${logRetentionDays} is not a CloudWatch Logs retention; use one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }
  return {
    targets,
    targetsText: formatTargetSpec(targets),
    scanSchedule,
    reportSchedule,
    maxConcurrency: rateControl(read('maxConcurrency'), 'maxConcurrency'),
    maxErrors: rateControl(read('maxErrors'), 'maxErrors'),
    deliveryTimeoutSeconds: integer(
      read('deliveryTimeoutSeconds'),
      'deliveryTimeoutSeconds',
      DELIVERY_TIMEOUT_RANGE,
    ),
    scanDeadlineSeconds,
    tagKeys: tagKeyList(read('tagKeys')),
    historyRetentionDays: integer(read('historyRetentionDays'), 'historyRetentionDays', RETENTION_RANGE),
    reportRetentionDays: integer(read('reportRetentionDays'), 'reportRetentionDays', RETENTION_RANGE),
    ...(reportEmail === undefined ? {} : { reportEmail }),
    ...(advisoryParameterName === undefined ? {} : { advisoryParameterName }),
    logRetentionDays,
  };
}

function text(value: unknown, key: ContextKey): string {
  if (typeof value !== 'string')
    throw new InvalidContextError(key, `expected a string, got ${JSON.stringify(value)}`);
  return value;
}

function optionalText(value: unknown, key: ContextKey): string | undefined {
  const trimmed = text(value, key).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Whole numbers, given as JSON numbers (cdk.json) or digit strings (`-c key=600`). */
function integer(value: unknown, key: ContextKey, [min, max]: readonly [number, number]): number {
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(parsed)) {
    throw new InvalidContextError(key, `expected a whole number, got ${JSON.stringify(value)}`);
  }
  if (parsed < min || parsed > max) throw new InvalidContextError(key, `${parsed} is outside ${min}..${max}`);
  return parsed;
}

/** SSM's own forms, checked by the runtime's own rule (MaxConcurrency at least 1). */
function rateControl(value: unknown, key: 'maxConcurrency' | 'maxErrors'): string {
  const raw = typeof value === 'number' ? String(value) : text(value, key).trim();
  try {
    return checkRateControl(key, raw);
  } catch (error) {
    if (!(error instanceof InvalidScanSettingsError)) throw error;
    throw new InvalidContextError(key, error.message.slice(`${key}: `.length), { cause: error });
  }
}

/** A comma-separated string (`-c tagKeys=Name,cluster`) or a JSON array (cdk.json). */
function tagKeyList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    throw new InvalidContextError(
      'tagKeys',
      `expected comma-separated tag keys, got ${JSON.stringify(value)}`,
    );
  }
  const keys = [...new Set((items as string[]).map((item) => item.trim()).filter((item) => item !== ''))];
  const bad = keys.find((item) => item.length > 128 || item.includes(',') || /\p{Cc}/u.test(item));
  if (bad !== undefined) throw new InvalidContextError('tagKeys', `"${bad}" is not a valid tag key`);
  if (keys.length > MAX_TAG_KEYS) {
    throw new InvalidContextError(
      'tagKeys',
      `${keys.length} keys; at most ${MAX_TAG_KEYS} are kept per node`,
    );
  }
  return keys;
}

/** SSM parameter names: letters, digits, `_.-/`, not under the reserved `aws`/`ssm` prefixes. */
function checkParameterName(name: string): void {
  if (name.startsWith('arn:')) {
    throw new InvalidContextError('advisoryParameterName', `"${name}": give the parameter name, not its ARN`);
  }
  if (!/^\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(name) || name.length > 1011) {
    throw new InvalidContextError('advisoryParameterName', `"${name}" is not an SSM parameter name`);
  }
  if (/^\/?(aws|ssm)/i.test(name)) {
    throw new InvalidContextError(
      'advisoryParameterName',
      `"${name}": names starting with aws or ssm are reserved`,
    );
  }
}
