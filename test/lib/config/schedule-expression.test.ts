import { describe, expect, it } from 'vitest';
import { parseScheduleContext } from '../../../lib/config/schedule-expression.ts';

describe('parseScheduleContext', () => {
  it.for([
    { text: 'rate(1 minute)', interval: 60 },
    { text: 'rate(6 hours)', interval: 21_600 },
    { text: 'rate(1 day)', interval: 86_400 },
    { text: ' rate(2 days) ', interval: 172_800 },
  ])('reads $text as every $interval s', ({ text, interval }) => {
    expect(parseScheduleContext('scanSchedule', text)).toEqual({
      expression: text.trim(),
      intervalSeconds: interval,
    });
  });

  it('normalises the spacing of a cron expression and leaves its interval unknown', () => {
    expect(parseScheduleContext('reportSchedule', 'cron(0  6 * * ? *)')).toEqual({
      expression: 'cron(0 6 * * ? *)',
    });
  });

  it.for([
    'rate(0 hours)',
    'rate(2 hour)',
    'rate(6 weeks)',
    'at(2030-01-01T00:00:00)',
    'cron(0 6 * * *)',
    '',
  ])('refuses %j', (text) => {
    expect(() => parseScheduleContext('scanSchedule', text)).toThrow(/^context "scanSchedule": /);
  });
});
