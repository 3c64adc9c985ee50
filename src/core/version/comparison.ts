export type { VersionScheme } from '../verdict.ts';

/** The result of every comparator here: -1 when a sorts before b, 0 when equal, 1 when after. */
export type Comparison = -1 | 0 | 1;

/**
 * Parsers reject longer inputs before looking at them: real versions are far shorter, and the
 * bound keeps the work done on untrusted probe output small.
 */
export const MAX_VERSION_LENGTH = 256;

/** Maps any number to its sign as a Comparison (NaN and -0 count as equal). */
export function toComparison(difference: number): Comparison {
  if (difference < 0) return -1;
  if (difference > 0) return 1;
  return 0;
}
