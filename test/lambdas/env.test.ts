import { describe, expect, it } from 'vitest';
import {
  DEFAULT_METRICS_NAMESPACE,
  InvalidEnvironmentError,
  LOCAL_ENDPOINT_ENV,
  readEnv,
  readPowertoolsEnv,
} from '../../lambdas/shared/env.ts';
import { DEFAULT_SCAN_SETTINGS } from '../../src/core/scan/scan-settings.ts';
import { ENV } from '../../src/shared/runtime-settings.ts';

const MINIMAL = { [ENV.tableName]: 'fleet-table', [ENV.documentName]: 'FleetComplianceProbe-abc' };

describe('readEnv', () => {
  it('fills every scan setting from DEFAULT_SCAN_SETTINGS when only the table and document are set', () => {
    expect(readEnv(MINIMAL)).toEqual({
      tableName: 'fleet-table',
      settings: {
        documentName: 'FleetComplianceProbe-abc',
        targets: { kind: 'tags', tags: [{ key: 'fleet-compliance', values: ['enabled'] }] },
        maxConcurrency: DEFAULT_SCAN_SETTINGS.maxConcurrency,
        maxErrors: DEFAULT_SCAN_SETTINGS.maxErrors,
        deliveryTimeoutSeconds: DEFAULT_SCAN_SETTINGS.deliveryTimeoutSeconds,
        deadlineSeconds: DEFAULT_SCAN_SETTINGS.deadlineSeconds,
        storedTagKeys: DEFAULT_SCAN_SETTINGS.storedTagKeys,
        historyRetentionDays: DEFAULT_SCAN_SETTINGS.historyRetentionDays,
      },
      aws: {},
    });
  });

  it('reads every variable the stack sets', () => {
    const env = readEnv({
      ...MINIMAL,
      [ENV.targets]: 'tag:cluster=prod-eu-1,prod-us-1;tag:env=prod',
      [ENV.maxConcurrency]: '100',
      [ENV.maxErrors]: '10%',
      [ENV.deliveryTimeoutSeconds]: '900',
      [ENV.deadlineSeconds]: '3600',
      [ENV.tagKeys]: ' Name, cluster ,team,Name',
      [ENV.historyRetentionDays]: '30',
      [ENV.advisoryParameter]: '/fleet/advisories',
      [ENV.reportBucket]: 'reports-bucket',
      [ENV.reportTopicArn]: 'arn:aws:sns:eu-west-1:111122223333:reports',
      AWS_REGION: 'eu-west-1',
    });
    expect(env.settings).toMatchObject({
      targets: {
        kind: 'tags',
        tags: [
          { key: 'cluster', values: ['prod-eu-1', 'prod-us-1'] },
          { key: 'env', values: ['prod'] },
        ],
      },
      maxConcurrency: '100',
      maxErrors: '10%',
      deliveryTimeoutSeconds: 900,
      deadlineSeconds: 3600,
      storedTagKeys: ['Name', 'cluster', 'team'],
      historyRetentionDays: 30,
    });
    expect(env).toMatchObject({
      advisoryParameter: '/fleet/advisories',
      reportBucket: 'reports-bucket',
      reportTopicArn: 'arn:aws:sns:eu-west-1:111122223333:reports',
      aws: { region: 'eu-west-1' },
    });
  });

  it('keeps no tags when FLEET_TAG_KEYS is set but blank, and treats other blank variables as unset', () => {
    const env = readEnv({
      ...MINIMAL,
      [ENV.tagKeys]: '',
      [ENV.maxErrors]: '  ',
      [ENV.advisoryParameter]: '',
    });
    expect(env.settings.storedTagKeys).toEqual([]);
    expect(env.settings.maxErrors).toBe(DEFAULT_SCAN_SETTINGS.maxErrors);
    expect(env.advisoryParameter).toBeUndefined();
  });

  it('takes local endpoints for the simulator and dynalite; tagging follows SSM unless set', () => {
    const env = readEnv({
      ...MINIMAL,
      [LOCAL_ENDPOINT_ENV.ssm]: 'http://127.0.0.1:4100',
      [LOCAL_ENDPOINT_ENV.dynamodb]: 'http://127.0.0.1:4200',
    });
    expect(env.aws).toEqual({
      ssmEndpoint: 'http://127.0.0.1:4100',
      taggingEndpoint: 'http://127.0.0.1:4100',
      dynamodbEndpoint: 'http://127.0.0.1:4200',
    });
  });

  it.each([
    [{ [ENV.documentName]: 'Doc' }, ENV.tableName, /FLEET_TABLE_NAME is not set/],
    [{ [ENV.tableName]: 'T' }, ENV.documentName, /FLEET_PROBE_DOCUMENT is not set/],
    [
      { ...MINIMAL, [ENV.targets]: 'cluster=prod' },
      ENV.targets,
      /FLEET_TARGETS is invalid: targets: "cluster=prod"/,
    ],
    [{ ...MINIMAL, [ENV.targets]: 'ids:i-nothex' }, ENV.targets, /FLEET_TARGETS is invalid/],
    [{ ...MINIMAL, [ENV.maxConcurrency]: '0' }, ENV.maxConcurrency, /FLEET_MAX_CONCURRENCY .*at least 1/],
    [{ ...MINIMAL, [ENV.maxErrors]: 'lots' }, ENV.maxErrors, /FLEET_MAX_ERRORS .*percentage/],
    [
      { ...MINIMAL, [ENV.deliveryTimeoutSeconds]: '10' },
      ENV.deliveryTimeoutSeconds,
      /between 30 and 2592000, not 10/,
    ],
    [{ ...MINIMAL, [ENV.deadlineSeconds]: '1.5' }, ENV.deadlineSeconds, /whole number, not "1.5"/],
    [{ ...MINIMAL, [ENV.historyRetentionDays]: '0' }, ENV.historyRetentionDays, /between 1 and 3650/],
    [{ ...MINIMAL, [ENV.tagKeys]: 'x'.repeat(129) }, ENV.tagKeys, /over 128 characters/],
    [{ ...MINIMAL, [LOCAL_ENDPOINT_ENV.ssm]: 'localhost:4100' }, LOCAL_ENDPOINT_ENV.ssm, /http\(s\) URL/],
  ])('names the variable in error for %j', (source, variable, message) => {
    let error: unknown;
    try {
      readEnv(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    expect(error).toMatchObject({ variable, code: 'lambda.invalid-environment' });
    expect(String((error as Error).message)).toMatch(message);
  });
});

describe('readPowertoolsEnv', () => {
  it('takes the metrics namespace the stack sets, with a default', () => {
    expect(readPowertoolsEnv({ POWERTOOLS_METRICS_NAMESPACE: 'Fleet' })).toEqual({
      metricsNamespace: 'Fleet',
    });
    expect(readPowertoolsEnv({})).toEqual({ metricsNamespace: DEFAULT_METRICS_NAMESPACE });
  });
});
