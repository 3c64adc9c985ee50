/**
 * Next run times of a maintenance window's AWS cron schedule, `cron(Minutes Hours Day-of-month
 * Month Day-of-week Year)` evaluated in the window's IANA time zone. Covers numbers, names
 * (JAN-DEC, SUN-SAT; day-of-week 1 = Sunday as in AWS), `*`, `?`, lists, ranges and steps; not
 * `L`, `W` or `#`, which the simulated windows do not use.
 */
interface CronSpec {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: ReadonlySet<number> | undefined;
  readonly months: ReadonlySet<number> | undefined;
  /** 0 = Sunday. */
  readonly daysOfWeek: ReadonlySet<number> | undefined;
  readonly years: ReadonlySet<number> | undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const DAY_MS = 86_400_000;

export function parseAwsCron(schedule: string): CronSpec {
  const match = /^cron\((.*)\)$/.exec(schedule.trim());
  const fields = match?.[1]?.trim().split(/\s+/);
  if (fields === undefined || fields.length !== 6) {
    throw new RangeError(`unsupported schedule ${schedule}: expected cron(m h dom mon dow year)`);
  }
  const [minute, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  const dowSet = parseField(dow, 1, 7, DAYS, 1);
  return {
    minutes: [...(parseField(minute, 0, 59) ?? range(0, 59))].sort((a, b) => a - b),
    hours: [...(parseField(hour, 0, 23) ?? range(0, 23))].sort((a, b) => a - b),
    daysOfMonth: parseField(dom, 1, 31),
    months: parseField(month, 1, 12, MONTHS, 1),
    daysOfWeek: dowSet === undefined ? undefined : new Set([...dowSet].map((d) => d - 1)),
    years: parseField(year, 1970, 2199),
  };
}

/** The next `count` run times strictly after `fromMs` (epoch ms), looking at most ~2 years ahead. */
export function nextCronExecutions(
  schedule: string,
  timezone: string,
  fromMs: number,
  count: number,
): number[] {
  const spec = parseAwsCron(schedule);
  const out: number[] = [];
  const local = wallClock(fromMs, timezone);
  const firstDay = Date.UTC(local.year, local.month - 1, local.day);
  for (let k = 0; k < 800 && out.length < count; k += 1) {
    const day = new Date(firstDay + k * DAY_MS);
    const [y, m, d, wd] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), day.getUTCDay()];
    if (spec.years !== undefined && !spec.years.has(y)) continue;
    if (spec.months !== undefined && !spec.months.has(m)) continue;
    if (spec.daysOfMonth !== undefined && !spec.daysOfMonth.has(d)) continue;
    if (spec.daysOfWeek !== undefined && !spec.daysOfWeek.has(wd)) continue;
    for (const h of spec.hours) {
      for (const min of spec.minutes) {
        const at = zonedToEpoch(y, m, d, h, min, timezone);
        if (at > fromMs && out.length < count) out.push(at);
      }
    }
  }
  return out;
}

/**
 * ISO-8601 extended, minute precision, in the window's zone: `2025-01-07T02:00Z` in UTC,
 * `2025-01-07T03:00+01:00` elsewhere.
 */
export function formatExecutionTime(epochMs: number, timezone: string): string {
  const w = wallClock(epochMs, timezone);
  const offsetMinutes = Math.round(
    (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - epochMs) / 60_000,
  );
  const pad = (n: number): string => String(n).padStart(2, '0');
  const base = `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
  if (offsetMinutes === 0) return `${base}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function parseField(
  field: string,
  min: number,
  max: number,
  names?: readonly string[],
  nameBase = 0,
): Set<number> | undefined {
  if (field === '*' || field === '?') return undefined;
  const value = (token: string): number => {
    const byName = names?.indexOf(token.toUpperCase()) ?? -1;
    const n = byName >= 0 ? byName + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new RangeError(`cron value ${token} is out of ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [span, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`cron step ${part} is not supported`);
    let lo: number;
    let hi: number;
    if (span === '*') {
      lo = min;
      hi = max;
    } else if (span.includes('-')) {
      const [a, b] = span.split('-') as [string, string];
      lo = value(a);
      hi = value(b);
    } else {
      lo = value(span);
      hi = stepText === undefined ? lo : max;
    }
    for (let n = lo; n <= hi; n += step) out.add(n);
  }
  return out;
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(epochMs: number, timezone: string): WallClock {
  let format = formatters.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    hour: parts.hour as number,
    minute: parts.minute as number,
    second: parts.second as number,
  };
}

/** The instant at which the wall clock of `timezone` shows the given time. */
function zonedToEpoch(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timezone: string,
): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (instant: number): number => {
    const w = wallClock(instant, timezone);
    return (
      Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000
    );
  };
  const first = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(first);
}
