import { describe, expect, it } from 'vitest';
import {
  formatExecutionTime,
  nextCronExecutions,
  parseAwsCron,
} from '../../../src/local/ssm-simulator/cron-schedule.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('nextCronExecutions', () => {
  // Each row: schedule, zone, from (UTC), next runs (UTC). Day-of-week 1 = Sunday, as in AWS cron.
  it.for([
    [
      'cron(0 2 ? * TUE *)',
      'UTC',
      '2025-01-06T12:00:00Z',
      ['2025-01-07T02:00:00.000Z', '2025-01-14T02:00:00.000Z'],
    ],
    [
      'cron(0 10 ? * MON-FRI *)',
      'UTC',
      '2025-01-10T10:00:00Z',
      ['2025-01-13T10:00:00.000Z', '2025-01-14T10:00:00.000Z'],
    ],
    [
      'cron(30 1 ? * 1 *)',
      'UTC',
      '2025-01-06T00:00:00Z',
      ['2025-01-12T01:30:00.000Z', '2025-01-19T01:30:00.000Z'],
    ],
    [
      'cron(0 3 ? * WED *)',
      'America/New_York',
      '2025-03-01T00:00:00Z',
      ['2025-03-05T08:00:00.000Z', '2025-03-12T07:00:00.000Z'],
    ],
    [
      'cron(0 22 ? * FRI *)',
      'Europe/Berlin',
      '2025-03-28T00:00:00Z',
      ['2025-03-28T21:00:00.000Z', '2025-04-04T20:00:00.000Z'],
    ],
    [
      'cron(0 0/6 1 JAN ? 2026)',
      'UTC',
      '2025-06-01T00:00:00Z',
      ['2026-01-01T00:00:00.000Z', '2026-01-01T06:00:00.000Z'],
    ],
  ] as const)('%s in %s after %s', ([schedule, zone, from, expected]) => {
    expect(nextCronExecutions(schedule, zone, Date.parse(from), 2).map(iso)).toEqual(expected);
  });

  it('never returns the start instant itself', () => {
    const at = Date.parse('2025-01-07T02:00:00Z');
    expect(nextCronExecutions('cron(0 2 ? * TUE *)', 'UTC', at, 1).map(iso)).toEqual([
      '2025-01-14T02:00:00.000Z',
    ]);
  });

  it('refuses what it does not support', () => {
    expect(() => parseAwsCron('rate(7 days)')).toThrow(RangeError);
    expect(() => parseAwsCron('cron(0 2 L * ? *)')).toThrow(RangeError);
  });
});

describe('formatExecutionTime', () => {
  it('writes UTC with Z and other zones with their offset', () => {
    const at = Date.UTC(2025, 0, 7, 2, 0);
    expect(formatExecutionTime(at, 'UTC')).toBe('2025-01-07T02:00Z');
    expect(formatExecutionTime(at, 'Asia/Kolkata')).toBe('2025-01-07T07:30+05:30');
    expect(formatExecutionTime(at, 'America/Los_Angeles')).toBe('2025-01-06T18:00-08:00');
    expect(Date.parse(formatExecutionTime(at, 'America/Los_Angeles'))).toBe(at);
  });
});
