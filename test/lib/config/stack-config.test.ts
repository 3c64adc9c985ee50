import { describe, expect, it } from 'vitest';
import { InvalidContextError } from '../../../lib/config/invalid-context-error.ts';
import { CONTEXT_DEFAULTS, readStackConfig } from '../../../lib/config/stack-config.ts';
import { checkRateControl } from '../../../src/core/scan/scan-settings.ts';

const read = (context: Record<string, unknown>) => readStackConfig((key) => context[key]);

/** Runs readStackConfig and returns the InvalidContextError it throws. */
function rejection(context: Record<string, unknown>): InvalidContextError {
  try {
    read(context);
  } catch (error) {
    if (error instanceof InvalidContextError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(context)}`);
}

describe('readStackConfig', () => {
  it('gives the documented defaults for an empty context', () => {
    expect(read({})).toEqual({
      targets: { kind: 'tags', tags: [{ key: 'fleet-compliance', values: ['enabled'] }] },
      targetsText: 'tag:fleet-compliance=enabled',
      scanSchedule: { expression: 'rate(6 hours)', intervalSeconds: 21_600 },
      reportSchedule: { expression: 'cron(30 6 * * ? *)' },
      maxConcurrency: '25%',
      maxErrors: '25%',
      deliveryTimeoutSeconds: 600,
      scanDeadlineSeconds: 1800,
      tagKeys: ['Name', 'cluster', 'az'],
      historyRetentionDays: 90,
      reportRetentionDays: 365,
      logRetentionDays: 90,
    });
  });

  it('reads numbers given as strings on the command line (-c key=600)', () => {
    const config = read({
      deliveryTimeoutSeconds: '900',
      scanDeadlineSeconds: '3600',
      logRetentionDays: '30',
    });
    expect(config).toMatchObject({
      deliveryTimeoutSeconds: 900,
      scanDeadlineSeconds: 3600,
      logRetentionDays: 30,
    });
  });

  it('reads tagKeys as a comma list or a JSON array, and empty as keep none', () => {
    expect(read({ tagKeys: 'Name, team ,Name' }).tagKeys).toEqual(['Name', 'team']);
    expect(read({ tagKeys: ['cluster', 'az'] }).tagKeys).toEqual(['cluster', 'az']);
    expect(read({ tagKeys: '' }).tagKeys).toEqual([]);
  });

  it('treats an empty reportEmail or advisoryParameterName as off', () => {
    const config = read({ reportEmail: '', advisoryParameterName: ' ' });
    expect(config.reportEmail).toBeUndefined();
    expect(config.advisoryParameterName).toBeUndefined();
    expect(read({ reportEmail: 'ops@example.com' }).reportEmail).toBe('ops@example.com');
  });

  it('accepts counts and percentages for the SSM rate controls, maxErrors 0 included', () => {
    expect(read({ maxConcurrency: '50', maxErrors: '0' })).toMatchObject({
      maxConcurrency: '50',
      maxErrors: '0',
    });
    expect(read({ maxConcurrency: 10, maxErrors: '100%' })).toMatchObject({
      maxConcurrency: '10',
      maxErrors: '100%',
    });
  });

  it.for(['0', '0%', '1', '25%', '100%', '101%', '-1', '1.5', 'abc'])(
    'accepts for maxErrors exactly what the Lambdas accept (%s)',
    (value) => {
      let runtime = true;
      try {
        checkRateControl('maxErrors', value);
      } catch {
        runtime = false;
      }
      if (runtime) expect(read({ maxErrors: value }).maxErrors).toBe(value);
      else expect(() => read({ maxErrors: value })).toThrow(/maxErrors/);
    },
  );

  it.for([
    { key: 'targets', value: 'cluster=prod', message: /tag:KEY=VALUE/ },
    { key: 'targets', value: 'ids:i-123', message: /not a node id/ },
    { key: 'targets', value: '', message: /empty/ },
    { key: 'targets', value: 42, message: /expected a string/ },
    { key: 'scanSchedule', value: 'every 6 hours', message: /neither rate/ },
    { key: 'scanSchedule', value: 'rate(1 hours)', message: /"hour" for a rate of 1/ },
    { key: 'reportSchedule', value: 'cron(0 6 * * *)', message: /6 fields/ },
    { key: 'reportSchedule', value: 'cron(0 6 * * 1 *)', message: /must be "\?"/ },
    { key: 'maxConcurrency', value: '0', message: /at least 1/ },
    { key: 'maxConcurrency', value: '25 %', message: /neither a count nor a percentage/ },
    { key: 'maxErrors', value: '101%', message: /neither a count nor a percentage/ },
    { key: 'deliveryTimeoutSeconds', value: '10', message: /outside 30\.\.2592000/ },
    { key: 'deliveryTimeoutSeconds', value: '1e3', message: /whole number/ },
    { key: 'scanDeadlineSeconds', value: 30, message: /outside 60\.\.86400/ },
    { key: 'tagKeys', value: 7, message: /comma-separated/ },
    { key: 'historyRetentionDays', value: '0', message: /outside 1\.\.3650/ },
    { key: 'reportRetentionDays', value: '-1', message: /whole number/ },
    { key: 'reportEmail', value: 'ops-at-example', message: /not an email address/ },
    { key: 'advisoryParameterName', value: 'arn:aws:ssm:eu-west-1:1:parameter/x', message: /not its ARN/ },
    { key: 'advisoryParameterName', value: 'has space', message: /not an SSM parameter name/ },
    { key: 'advisoryParameterName', value: '/aws/reference/x', message: /reserved/ },
    { key: 'logRetentionDays', value: '45', message: /not a CloudWatch Logs retention/ },
  ])('rejects $key=$value with an error naming the key', ({ key, value, message }) => {
    const error = rejection({ [key]: value });
    expect(error.key).toBe(key);
    expect(error.code).toBe('context.invalid');
    expect(error.message).toMatch(new RegExp(`^context "${key}": `));
    expect(error.message).toMatch(message);
  });

  it('rejects a scan deadline that outlasts the scan interval', () => {
    const error = rejection({ scanSchedule: 'rate(30 minutes)', scanDeadlineSeconds: 1800 });
    expect(error.key).toBe('scanDeadlineSeconds');
    expect(error.message).toMatch(/not shorter than the scan interval rate\(30 minutes\)/);
    expect(read({ scanSchedule: 'rate(31 minutes)', scanDeadlineSeconds: 1800 }).scanDeadlineSeconds).toBe(
      1800,
    );
  });

  it('has a default for every key it reads', () => {
    const asked: string[] = [];
    readStackConfig((key) => {
      asked.push(key);
      return undefined;
    });
    expect(asked.sort()).toEqual(Object.keys(CONTEXT_DEFAULTS).sort());
  });
});
