/**
 * Upstream systemd versions, as tagged (`v242-rc2`, `v252.38`), as Debian and Fedora spell
 * pre-releases (`242~rc2`, `256~devel`), and as the first line of `systemctl --version` prints
 * them (`systemd 252 (252.38-1~deb12u1)`). Grammar: GRAMMAR.md.
 * Feeding `242-rc2` to dpkg or rpm sorts it after `242`; here every pre-release sorts before
 * its release: 256~devel < 256-rc1 < 256~rc2 < 256 < 256.1.
 */
import { isAsciiDigit, isAsciiLetter } from './ascii.ts';
import { type Comparison, MAX_VERSION_LENGTH } from './comparison.ts';
import { type DigitString, skipDigits, toDigitString } from './digit-run.ts';
import { InvalidVersionError } from './errors.ts';
import { compareTaggedReleases } from './release-order.ts';

export type SystemdPreReleaseTag = 'devel' | 'rc';

export interface SystemdPreRelease {
  readonly tag: SystemdPreReleaseTag;
  /** `rc2` is '2'; `rc` alone and `devel` are '0'. */
  readonly number: DigitString;
}

export interface SystemdVersion {
  /** The major, then any point releases: `252.38` is ['252', '38']. Missing points count as 0. */
  readonly release: readonly DigitString[];
  readonly preRelease?: SystemdPreRelease;
}

const LINE_PREFIX = 'systemd ';
const SPACE = 0x20;
const DOT = 0x2e;
const HYPHEN = 0x2d;
const TILDE = 0x7e;
const LOWER_V = 0x76;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const TAG_RANK: Record<SystemdPreReleaseTag, number> = { devel: 0, rc: 1 };

/** Compares two systemd versions; throws InvalidVersionError for either. */
export function compareSystemd(a: string, b: string): Comparison {
  return compareSystemdVersion(parseSystemdVersion(a), parseSystemdVersion(b));
}

/** Release numbers first (missing ones are 0), then a pre-release sorts before no pre-release. */
export function compareSystemdVersion(a: SystemdVersion, b: SystemdVersion): Comparison {
  return compareTaggedReleases(a, b, TAG_RANK);
}

/**
 * Parses `219`, `242-rc2`, `242~rc2`, `v252.38`, `256~devel` or a `systemctl --version` first
 * line such as `systemd 252 (252.38-1~deb12u1)`; throws InvalidVersionError naming the input.
 */
export function parseSystemdVersion(input: string): SystemdVersion {
  const parsed = scanSystemdVersion(input);
  if (typeof parsed === 'string') throw new InvalidVersionError('systemd', input, parsed);
  return parsed;
}

/** Like parseSystemdVersion, but returns undefined instead of throwing. */
export function tryParseSystemdVersion(input: string): SystemdVersion | undefined {
  const parsed = scanSystemdVersion(input);
  return typeof parsed === 'string' ? undefined : parsed;
}

function scanSystemdVersion(input: string): SystemdVersion | string {
  if (input.length === 0) return 'empty';
  if (input.length > MAX_VERSION_LENGTH) return `longer than ${MAX_VERSION_LENGTH} characters`;
  if (input.startsWith(LINE_PREFIX)) return scanVersionLine(input);
  return scanTag(input, 0, input.length);
}

/**
 * `systemd NNN` (up to v240) or `systemd NNN (BUILD)` (v241 on). BUILD is the packager's
 * version-tag or `git describe`: it may carry the point release (`252.38-1~deb12u1`), but a
 * distro revision such as `239-82.el8_10.17` is a backport level, not an upstream version.
 */
function scanVersionLine(input: string): SystemdVersion | string {
  const end = input.length;
  const headStart = LINE_PREFIX.length;
  let headEnd = input.indexOf(' ', headStart);
  if (headEnd === -1) headEnd = end;
  const head = scanTag(input, headStart, headEnd);
  if (typeof head === 'string' || headEnd === end) return head;

  const buildStart = headEnd + 2;
  const buildEnd = end - 1;
  if (
    input.charCodeAt(headEnd + 1) !== OPEN_PAREN ||
    input.charCodeAt(buildEnd) !== CLOSE_PAREN ||
    buildEnd <= buildStart
  ) {
    return 'expected "systemd NNN" or "systemd NNN (BUILD)"';
  }
  for (let k = buildStart; k < buildEnd; k++) {
    const c = input.charCodeAt(k);
    if (c <= SPACE || c >= 0x7f || c === OPEN_PAREN || c === CLOSE_PAREN) {
      return `invalid character ${JSON.stringify(input[k])} in the build version`;
    }
  }
  if (head.release.length !== 1 || head.preRelease !== undefined) return head;

  // The build names a point release only when it starts with this same major and a dot.
  const majorStart = input.charCodeAt(headStart) === LOWER_V ? headStart + 1 : headStart;
  const majorLength = headEnd - majorStart;
  if (!input.startsWith(input.slice(majorStart, headEnd), buildStart)) return head;
  const release = [...head.release];
  let k = buildStart + majorLength;
  while (input.charCodeAt(k) === DOT && isAsciiDigit(input.charCodeAt(k + 1))) {
    const digitsEnd = skipDigits(input, k + 1, buildEnd);
    release.push(toDigitString(input, k + 1, digitsEnd));
    k = digitsEnd;
  }
  return { release, preRelease: undefined };
}

/** `[v]N(.N)*` then optionally `-` or `~` and `rc[N]` or `devel`, filling exactly [start, end). */
function scanTag(input: string, start: number, end: number): SystemdVersion | string {
  let i = start;
  if (input.charCodeAt(i) === LOWER_V) i++;
  if (!isAsciiDigit(input.charCodeAt(i)) || i >= end) return 'does not start with a number';
  const release: DigitString[] = [];
  for (;;) {
    const digitsEnd = skipDigits(input, i, end);
    release.push(toDigitString(input, i, digitsEnd));
    i = digitsEnd;
    if (i < end - 1 && input.charCodeAt(i) === DOT && isAsciiDigit(input.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    break;
  }
  if (i === end) return { release, preRelease: undefined };

  const separator = input.charCodeAt(i);
  if (separator === HYPHEN || separator === TILDE) {
    const tagStart = i + 1;
    let tagEnd = tagStart;
    while (tagEnd < end && isAsciiLetter(input.charCodeAt(tagEnd))) tagEnd++;
    const tag = input.slice(tagStart, tagEnd);
    if (tag === 'devel' && tagEnd === end) return { release, preRelease: { tag, number: '0' } };
    if (tag === 'rc') {
      const digitsEnd = skipDigits(input, tagEnd, end);
      if (digitsEnd === end) {
        const number = digitsEnd === tagEnd ? '0' : toDigitString(input, tagEnd, digitsEnd);
        return { release, preRelease: { tag, number } };
      }
    }
  }
  return `unexpected ${JSON.stringify(input.slice(i, end))} after the version (a distro package version needs the dpkg or rpm scheme)`;
}
