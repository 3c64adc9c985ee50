/**
 * Versions as projects tag them: runc, containerd, docker, kubelet (`v1.28.5-eks-5e0fdde`,
 * `1.0.0-rc93`, `18.06.1-ce`, `20.10.24+dfsg1`, `1.6.20~ds1`). Dotted numbers compare as numbers
 * with missing ones as 0 (18.09 = 18.9 = 18.9.0); an alpha, beta or rc tag right after them sorts
 * before the release (alpha < beta < rc, numbers numeric, so rc9 < rc10 < rc90); any other
 * suffix (edition, vendor, build, distro packaging) is ignored. Grammar: GRAMMAR.md.
 * Plain semver gets this wrong: rc10 < rc9 there, and 18.09.1 is not semver at all.
 */
import { isAsciiAlphanumeric, isAsciiDigit, isAsciiLetter } from './ascii.ts';
import { type Comparison, MAX_VERSION_LENGTH } from './comparison.ts';
import { type DigitString, skipDigits, toDigitString } from './digit-run.ts';
import { InvalidVersionError } from './errors.ts';
import { compareTaggedReleases } from './release-order.ts';

export type UpstreamPreReleaseTag = 'alpha' | 'beta' | 'rc';

export interface UpstreamPreRelease {
  readonly tag: UpstreamPreReleaseTag;
  /** `rc93`, `rc.93` are '93'; a tag without a number is '0'. */
  readonly number: DigitString;
}

export interface UpstreamVersion {
  /** The dotted numbers: `v1.28.5` is ['1', '28', '5']. Missing ones count as 0. */
  readonly release: readonly DigitString[];
  readonly preRelease?: UpstreamPreRelease;
}

const DOT = 0x2e;
const HYPHEN = 0x2d;
const TILDE = 0x7e;
const LOWER_V = 0x76;
const TAG_RANK: Record<UpstreamPreReleaseTag, number> = { alpha: 0, beta: 1, rc: 2 };

/** Compares two upstream versions; throws InvalidVersionError for either. */
export function compareUpstream(a: string, b: string): Comparison {
  return compareUpstreamVersion(parseUpstreamVersion(a), parseUpstreamVersion(b));
}

/** Release numbers first (missing ones are 0), then a pre-release sorts before no pre-release. */
export function compareUpstreamVersion(a: UpstreamVersion, b: UpstreamVersion): Comparison {
  return compareTaggedReleases(a, b, TAG_RANK);
}

/** Parses an upstream version; throws InvalidVersionError naming the input. */
export function parseUpstreamVersion(input: string): UpstreamVersion {
  const parsed = scanUpstreamVersion(input);
  if (typeof parsed === 'string') throw new InvalidVersionError('upstream', input, parsed);
  return parsed;
}

/** Like parseUpstreamVersion, but returns undefined instead of throwing. */
export function tryParseUpstreamVersion(input: string): UpstreamVersion | undefined {
  const parsed = scanUpstreamVersion(input);
  return typeof parsed === 'string' ? undefined : parsed;
}

function scanUpstreamVersion(input: string): UpstreamVersion | string {
  const end = input.length;
  if (end === 0) return 'empty';
  if (end > MAX_VERSION_LENGTH) return `longer than ${MAX_VERSION_LENGTH} characters`;
  for (let k = 0; k < end; k++) {
    if (!isSuffixCharacter(input.charCodeAt(k))) return `invalid character ${JSON.stringify(input[k])}`;
  }

  let i = input.charCodeAt(0) === LOWER_V ? 1 : 0;
  if (!isAsciiDigit(input.charCodeAt(i))) return 'does not start with a number';
  const release: DigitString[] = [];
  for (;;) {
    const digitsEnd = skipDigits(input, i, end);
    release.push(toDigitString(input, i, digitsEnd));
    i = digitsEnd;
    if (input.charCodeAt(i) !== DOT || !isAsciiDigit(input.charCodeAt(i + 1))) break;
    i++;
  }

  // Docker CE pre-releases put the edition first: 17.06.0-ce-rc1.
  const preRelease =
    scanPreRelease(input, i) ?? (isEdition(input, i) ? scanPreRelease(input, i + 3) : undefined);
  return { release, preRelease };
}

/** An alpha, beta or rc tag at `start`, after an optional `-`, `~` or `.`; else undefined. */
function scanPreRelease(input: string, start: number): UpstreamPreRelease | undefined {
  let i = start;
  const separator = input.charCodeAt(i);
  if (separator === HYPHEN || separator === TILDE || separator === DOT) i++;
  const tagStart = i;
  while (isAsciiLetter(input.charCodeAt(i))) i++;
  const tag = input.slice(tagStart, i);
  if (tag !== 'alpha' && tag !== 'beta' && tag !== 'rc') return undefined;
  if (input.charCodeAt(i) === DOT && isAsciiDigit(input.charCodeAt(i + 1))) i++;
  const digitsEnd = skipDigits(input, i, input.length);
  const number = digitsEnd === i ? '0' : toDigitString(input, i, digitsEnd);
  return { tag, number };
}

function isEdition(input: string, start: number): boolean {
  return input.startsWith('-ce', start) || input.startsWith('-ee', start);
}

/** Suffixes are ignored but still restricted to what version strings contain: no spaces or quotes. */
function isSuffixCharacter(code: number): boolean {
  return (
    isAsciiAlphanumeric(code) ||
    code === DOT ||
    code === HYPHEN ||
    code === TILDE ||
    code === 0x2b || // +
    code === 0x5f || // _
    code === 0x3a || // :
    code === 0x5e // ^
  );
}
