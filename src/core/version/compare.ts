/**
 * One entry point over the four schemes, for code that reads the scheme from an advisory.
 * Scheme-specific callers (and anything memoising parses) use rpm.ts, dpkg.ts, systemd.ts and
 * upstream.ts directly.
 */
import { AppError } from '../errors.ts';
import type { Comparison, VersionScheme } from './comparison.ts';
import { compareDpkgVersion, parseDpkgVersion, tryParseDpkgVersion } from './dpkg.ts';
import { compareRpmEvr, parseRpmEvr, tryParseRpmEvr } from './rpm.ts';
import { compareSystemdVersion, parseSystemdVersion, tryParseSystemdVersion } from './systemd.ts';
import { compareUpstreamVersion, parseUpstreamVersion, tryParseUpstreamVersion } from './upstream.ts';

export type { Comparison, VersionScheme } from './comparison.ts';

interface SchemeOperations {
  compare(a: string, b: string): Comparison;
  tryCompare(a: string, b: string): Comparison | undefined;
  isValid(input: string): boolean;
}

function operations<T>(
  parse: (input: string) => T,
  tryParse: (input: string) => T | undefined,
  compare: (a: T, b: T) => Comparison,
): SchemeOperations {
  return {
    compare: (a, b) => compare(parse(a), parse(b)),
    tryCompare(a, b) {
      const parsedA = tryParse(a);
      if (parsedA === undefined) return undefined;
      const parsedB = tryParse(b);
      return parsedB === undefined ? undefined : compare(parsedA, parsedB);
    },
    isValid: (input) => tryParse(input) !== undefined,
  };
}

const SCHEMES: Readonly<Record<VersionScheme, SchemeOperations>> = {
  rpm: operations(parseRpmEvr, tryParseRpmEvr, compareRpmEvr),
  dpkg: operations(parseDpkgVersion, tryParseDpkgVersion, compareDpkgVersion),
  systemd: operations(parseSystemdVersion, tryParseSystemdVersion, compareSystemdVersion),
  upstream: operations(parseUpstreamVersion, tryParseUpstreamVersion, compareUpstreamVersion),
};

export const VERSION_SCHEMES: readonly VersionScheme[] = Object.freeze(
  Object.keys(SCHEMES) as VersionScheme[],
);

/** Narrows a scheme name read from data (an advisory, a CLI flag). */
export function isVersionScheme(value: unknown): value is VersionScheme {
  return typeof value === 'string' && Object.hasOwn(SCHEMES, value);
}

/** Compares two versions of one scheme; throws InvalidVersionError when either is invalid. */
export function compareVersions(scheme: VersionScheme, a: string, b: string): Comparison {
  return operationsOf(scheme).compare(a, b);
}

/** Like compareVersions, but undefined when either version is invalid. */
export function tryCompareVersions(scheme: VersionScheme, a: string, b: string): Comparison | undefined {
  return isVersionScheme(scheme) ? SCHEMES[scheme].tryCompare(a, b) : undefined;
}

export function isValidVersion(scheme: VersionScheme, input: string): boolean {
  return isVersionScheme(scheme) && SCHEMES[scheme].isValid(input);
}

/** The type system rules out unknown schemes, but advisories are data: fail with a clear error. */
function operationsOf(scheme: VersionScheme): SchemeOperations {
  if (!isVersionScheme(scheme)) {
    throw new AppError('version.scheme-unknown', `unknown version scheme ${JSON.stringify(scheme)}`);
  }
  return SCHEMES[scheme];
}
