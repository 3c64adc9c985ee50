import { AppError } from '../../src/core/errors.ts';
import {
  checkRateControl,
  DEFAULT_SCAN_SETTINGS,
  InvalidScanSettingsError,
  parseTargetSpec,
  type ScanSettings,
} from '../../src/core/scan/scan-settings.ts';
import { DEFAULT_TARGET_TAG, ENV, METRICS_NAMESPACE } from '../../src/shared/runtime-settings.ts';

/**
 * The one module that reads the Lambdas' environment. Everything else gets a LambdaEnv; tests pass
 * their own source object instead of touching process.env.
 */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * Endpoint overrides for running the handlers against the local simulator and dynalite (tests, a
 * local run). The stack never sets them; with one set, the clients use placeholder credentials.
 */
export const LOCAL_ENDPOINT_ENV = {
  /** SSM and the Tagging API (the simulator answers both on one port). */
  ssm: 'FLEET_LOCAL_SSM_ENDPOINT',
  /** Default: the SSM one. */
  tagging: 'FLEET_LOCAL_TAGGING_ENDPOINT',
  dynamodb: 'FLEET_LOCAL_DYNAMODB_ENDPOINT',
} as const;

/** Where the Lambda runtime says it runs; the SDK would find it too, but reading it here keeps tests hermetic. */
const REGION_ENV = 'AWS_REGION';

/** Used when POWERTOOLS_METRICS_NAMESPACE is unset: the namespace the stack sets. */
export const DEFAULT_METRICS_NAMESPACE = METRICS_NAMESPACE;

export interface AwsConnectionEnv {
  readonly region?: string;
  readonly ssmEndpoint?: string;
  readonly taggingEndpoint?: string;
  readonly dynamodbEndpoint?: string;
}

export interface LambdaEnv {
  readonly tableName: string;
  readonly settings: ScanSettings;
  /** SSM parameter holding a user advisory catalog (JSON) merged over the built-in one. */
  readonly advisoryParameter?: string;
  readonly reportBucket?: string;
  readonly reportTopicArn?: string;
  readonly aws: AwsConnectionEnv;
}

/** A variable is missing or malformed; the message names it and what it should look like. */
export class InvalidEnvironmentError extends AppError {
  override name = 'InvalidEnvironmentError';
  readonly variable: string;

  constructor(variable: string, problem: string, options?: ErrorOptions) {
    super('lambda.invalid-environment', `environment variable ${variable} ${problem}`, options);
    this.variable = variable;
  }
}

/** SendCommand's TimeoutSeconds range (API reference). */
const DELIVERY_TIMEOUT_RANGE = [30, 2_592_000] as const;
/** A Standard Step Functions execution lives up to a year; a scan that waits a week has lost its point. */
const DEADLINE_RANGE = [1, 7 * 86_400] as const;
const RETENTION_RANGE = [1, 3650] as const;
/** AWS tag keys are 1 to 128 characters. */
const MAX_TAG_KEY_LENGTH = 128;

/** Reads and validates the scan Lambdas' configuration; defaults from DEFAULT_SCAN_SETTINGS. */
export function readEnv(source: EnvSource = process.env): LambdaEnv {
  const value = (name: string): string | undefined => {
    const raw = source[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const required = (name: string): string => {
    const v = value(name);
    if (v === undefined) throw new InvalidEnvironmentError(name, 'is not set');
    return v;
  };

  const targetsSpec = value(ENV.targets) ?? `tag:${DEFAULT_TARGET_TAG}=enabled`;
  const settings: ScanSettings = {
    documentName: required(ENV.documentName),
    targets: fromSettingsError(ENV.targets, () => parseTargetSpec(targetsSpec)),
    maxConcurrency: fromSettingsError(ENV.maxConcurrency, () =>
      checkRateControl('maxConcurrency', value(ENV.maxConcurrency) ?? DEFAULT_SCAN_SETTINGS.maxConcurrency),
    ),
    maxErrors: fromSettingsError(ENV.maxErrors, () =>
      checkRateControl('maxErrors', value(ENV.maxErrors) ?? DEFAULT_SCAN_SETTINGS.maxErrors),
    ),
    deliveryTimeoutSeconds: integer(
      ENV.deliveryTimeoutSeconds,
      value(ENV.deliveryTimeoutSeconds),
      DEFAULT_SCAN_SETTINGS.deliveryTimeoutSeconds,
      DELIVERY_TIMEOUT_RANGE,
    ),
    deadlineSeconds: integer(
      ENV.deadlineSeconds,
      value(ENV.deadlineSeconds),
      DEFAULT_SCAN_SETTINGS.deadlineSeconds,
      DEADLINE_RANGE,
    ),
    storedTagKeys: tagKeys(source[ENV.tagKeys]),
    historyRetentionDays: integer(
      ENV.historyRetentionDays,
      value(ENV.historyRetentionDays),
      DEFAULT_SCAN_SETTINGS.historyRetentionDays,
      RETENTION_RANGE,
    ),
  };
  const ssmEndpoint = endpoint(LOCAL_ENDPOINT_ENV.ssm, value(LOCAL_ENDPOINT_ENV.ssm));
  const taggingEndpoint =
    endpoint(LOCAL_ENDPOINT_ENV.tagging, value(LOCAL_ENDPOINT_ENV.tagging)) ?? ssmEndpoint;
  const dynamodbEndpoint = endpoint(LOCAL_ENDPOINT_ENV.dynamodb, value(LOCAL_ENDPOINT_ENV.dynamodb));
  const region = value(REGION_ENV);
  const advisoryParameter = value(ENV.advisoryParameter);
  const reportBucket = value(ENV.reportBucket);
  const reportTopicArn = value(ENV.reportTopicArn);
  return {
    tableName: required(ENV.tableName),
    settings,
    ...(advisoryParameter === undefined ? {} : { advisoryParameter }),
    ...(reportBucket === undefined ? {} : { reportBucket }),
    ...(reportTopicArn === undefined ? {} : { reportTopicArn }),
    aws: {
      ...(region === undefined ? {} : { region }),
      ...(ssmEndpoint === undefined ? {} : { ssmEndpoint }),
      ...(taggingEndpoint === undefined ? {} : { taggingEndpoint }),
      ...(dynamodbEndpoint === undefined ? {} : { dynamodbEndpoint }),
    },
  };
}

/** What powertools.ts needs at module load (it must not fail on an otherwise broken environment). */
export function readPowertoolsEnv(source: EnvSource = process.env): { readonly metricsNamespace: string } {
  const namespace = source[ENV.metricsNamespace]?.trim();
  return { metricsNamespace: namespace ? namespace : DEFAULT_METRICS_NAMESPACE };
}

function fromSettingsError<T>(variable: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidScanSettingsError) {
      throw new InvalidEnvironmentError(variable, `is invalid: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function integer(
  variable: string,
  raw: string | undefined,
  fallback: number,
  [min, max]: readonly [number, number],
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new InvalidEnvironmentError(variable, `must be a whole number, not "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max)
    throw new InvalidEnvironmentError(variable, `must be between ${min} and ${max}, not ${n}`);
  return n;
}

/** Unset = the defaults; set but blank = keep no tags. */
function tagKeys(raw: string | undefined): readonly string[] {
  if (raw === undefined) return DEFAULT_SCAN_SETTINGS.storedTagKeys;
  const keys = raw
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = keys.find((k) => k.length > MAX_TAG_KEY_LENGTH);
  if (bad !== undefined) {
    throw new InvalidEnvironmentError(
      ENV.tagKeys,
      `holds a tag key over ${MAX_TAG_KEY_LENGTH} characters: ${bad}`,
    );
  }
  return [...new Set(keys)];
}

function endpoint(variable: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new InvalidEnvironmentError(variable, `is not a URL: ${raw}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidEnvironmentError(variable, `must be an http(s) URL, not ${raw}`);
  }
  return raw;
}
