/**
 * Whole numbers for people: `3000` -> `3,000`. Locale-free on purpose (a report must read the same
 * wherever it is built), and exact for any safe integer.
 *
 * @example formatCount(1234567) // '1,234,567'
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 node`, `3,000 nodes`. */
export function countOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}

/** Share of a whole as a percentage with one decimal (`10.4%`); `0%` of nothing. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const tenths = Math.round((part / whole) * 1000);
  return `${Math.trunc(tenths / 10)}${tenths % 10 === 0 ? '' : `.${tenths % 10}`}%`;
}
