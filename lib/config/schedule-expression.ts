import { InvalidContextError } from './invalid-context-error.ts';

const UNIT_SECONDS = { minute: 60, hour: 3600, day: 86_400 } as const;

/** A checked EventBridge Scheduler expression; `intervalSeconds` only for rate expressions. */
export interface ScheduleSpec {
  readonly expression: string;
  readonly intervalSeconds?: number;
}

/**
 * Checks a `rate(...)` or `cron(...)` expression as EventBridge Scheduler reads them: a rate is a
 * positive whole number with a singular unit for 1 and a plural one otherwise; a cron has six
 * fields (minutes hours day-of-month month day-of-week year). One-off `at(...)` schedules are
 * refused: a scan that runs once is not a schedule.
 */
export function parseScheduleContext(key: string, text: string): ScheduleSpec {
  const expression = text.trim();
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const count = Number(rate[1]);
    const unit = rate[2]!;
    const singular = unit.replace(/s$/, '') as keyof typeof UNIT_SECONDS;
    if (count < 1) throw new InvalidContextError(key, `"${expression}": the rate must be at least 1`);
    if ((count === 1) !== (unit === singular)) {
      throw new InvalidContextError(
        key,
        `"${expression}": use "${singular}" for a rate of 1 and "${singular}s" otherwise`,
      );
    }
    return { expression, intervalSeconds: count * UNIT_SECONDS[singular] };
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) {
      throw new InvalidContextError(
        key,
        `"${expression}": a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
      );
    }
    if (fields[2] !== '?' && fields[4] !== '?') {
      throw new InvalidContextError(key, `"${expression}": day-of-month or day-of-week must be "?"`);
    }
    return { expression: `cron(${fields.join(' ')})` };
  }
  throw new InvalidContextError(key, `"${expression}" is neither rate(N unit) nor cron(6 fields)`);
}
