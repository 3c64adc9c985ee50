import type { Comparison } from '../version/comparison.ts';
import { tryCompareVersions } from '../version/compare.ts';
import type { VersionScheme } from '../verdict.ts';

/**
 * Memoised comparisons: a fleet repeats a few dozen version strings across thousands of nodes, so
 * each distinct (scheme, a, b) is parsed and compared once. Bounded: cleared when it grows past
 * MAX_ENTRIES so hostile input cannot grow it without limit.
 */
const MAX_ENTRIES = 50_000;
const cache = new Map<string, Comparison | null>();

/** compareVersions that returns undefined instead of throwing on an unparsable side. */
export function cachedCompare(scheme: VersionScheme, a: string, b: string): Comparison | undefined {
  const key = `${scheme}\u0000${a}\u0000${b}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const result = tryCompareVersions(scheme, a, b);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, result ?? null);
  return result;
}
