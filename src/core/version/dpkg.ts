/**
 * Debian versions: `[epoch:]upstream_version[-debian_revision]`, ordered as dpkg orders them.
 * Sources: deb-version(7) (https://man7.org/linux/man-pages/man7/deb-version.7.html), Debian
 * Policy 5.6.12, dpkg's lib/dpkg/parsehelp.c (parseversion) and lib/dpkg/version.c (verrevcmp),
 * checked against `dpkg --compare-versions` (dpkg 1.21) by test/core/version/dpkg-differential.test.ts.
 * Where we are stricter than dpkg: GRAMMAR.md.
 */
import { isAsciiAlphanumeric, isAsciiDigit, isAsciiLetter } from './ascii.ts';
import { type Comparison, MAX_VERSION_LENGTH } from './comparison.ts';
import { compareDigitRuns } from './digit-run.ts';
import { InvalidVersionError } from './errors.ts';

export interface DpkgVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** Everything after the last `-`; empty when there is none (which dpkg orders like "0"). */
  readonly revision: string;
}

/**
 * dpkg itself has two levels: errors (the version is unusable) and warnings (dpkg --compare-versions
 * still compares it; building or installing such a package fails).
 */
export interface DpkgVersionIssue {
  readonly severity: 'error' | 'warning';
  readonly reason: string;
}

const TILDE = 0x7e;
const COLON = 0x3a;
const HYPHEN = 0x2d;
const SPACE = 0x20;
const TAB = 0x09;

/** dpkg parses the epoch with strtol and rejects anything above INT_MAX. */
const MAX_EPOCH = '2147483647';

/** Compares two Debian version strings; throws InvalidVersionError for either. */
export function compareDpkg(a: string, b: string): Comparison {
  return compareDpkgVersion(parseDpkgVersion(a), parseDpkgVersion(b));
}

/** dpkg's order: epoch numerically, then upstream, then revision, each with verrevcmp. */
export function compareDpkgVersion(a: DpkgVersion, b: DpkgVersion): Comparison {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch ? 1 : -1;
  const byUpstream = verrevcmp(a.upstream, b.upstream);
  if (byUpstream !== 0) return byUpstream;
  return verrevcmp(a.revision, b.revision);
}

/**
 * Parses a Debian version; throws InvalidVersionError naming the input. Accepts what dpkg only
 * warns about when the characters are legal (an upstream version not starting with a digit):
 * see checkDpkgVersion for the severity.
 */
export function parseDpkgVersion(input: string): DpkgVersion {
  const parsed = scanDpkgVersion(input);
  if (typeof parsed === 'string') throw new InvalidVersionError('dpkg', input, parsed);
  return parsed;
}

/** Like parseDpkgVersion, but returns undefined instead of throwing. */
export function tryParseDpkgVersion(input: string): DpkgVersion | undefined {
  const parsed = scanDpkgVersion(input);
  return typeof parsed === 'string' ? undefined : parsed;
}

/** What is wrong with a version, and how badly; undefined when nothing is. */
export function checkDpkgVersion(input: string): DpkgVersionIssue | undefined {
  const parsed = scanDpkgVersion(input);
  if (typeof parsed === 'string') return { severity: 'error', reason: parsed };
  if (!isAsciiDigit(parsed.upstream.charCodeAt(0))) {
    return { severity: 'warning', reason: 'upstream version does not start with a digit' };
  }
  return undefined;
}

/**
 * dpkg's comparison of one part. Non-digit runs compare character by character where `~` sorts
 * before everything (even the end), then the end, then letters, then all other characters;
 * digit runs compare as integers.
 */
function verrevcmp(a: string, b: string): Comparison {
  if (a === b) return 0;
  const aEnd = a.length;
  const bEnd = b.length;
  let i = 0;
  let j = 0;
  while (i < aEnd || j < bEnd) {
    while ((i < aEnd && !isAsciiDigit(a.charCodeAt(i))) || (j < bEnd && !isAsciiDigit(b.charCodeAt(j)))) {
      const ac = order(i < aEnd ? a.charCodeAt(i) : -1);
      const bc = order(j < bEnd ? b.charCodeAt(j) : -1);
      if (ac !== bc) return ac > bc ? 1 : -1;
      i++;
      j++;
    }
    let aRunEnd = i;
    while (aRunEnd < aEnd && isAsciiDigit(a.charCodeAt(aRunEnd))) aRunEnd++;
    let bRunEnd = j;
    while (bRunEnd < bEnd && isAsciiDigit(b.charCodeAt(bRunEnd))) bRunEnd++;
    const byNumber = compareDigitRuns(a, i, aRunEnd, b, j, bRunEnd);
    if (byNumber !== 0) return byNumber;
    i = aRunEnd;
    j = bRunEnd;
  }
  return 0;
}

/** Sort weight of one character in a non-digit run; -1 stands for the end of the string. */
function order(code: number): number {
  if (code === -1 || isAsciiDigit(code)) return 0;
  if (isAsciiLetter(code)) return code;
  if (code === TILDE) return -1;
  return code + 256;
}

/** The version, or the reason it is rejected. Checks follow dpkg's parseversion order. */
function scanDpkgVersion(input: string): DpkgVersion | string {
  if (input.length > MAX_VERSION_LENGTH) return `longer than ${MAX_VERSION_LENGTH} characters`;
  // dpkg ignores leading and trailing blanks (space, tab).
  let start = 0;
  let end = input.length;
  while (start < end && isBlank(input.charCodeAt(start))) start++;
  while (end > start && isBlank(input.charCodeAt(end - 1))) end--;
  if (start === end) return 'empty';

  for (let k = start; k < end; k++) {
    if (isBlank(input.charCodeAt(k))) return 'embedded whitespace';
  }

  let epoch = 0;
  let upstreamStart = start;
  const colon = input.indexOf(':', start);
  if (colon !== -1) {
    if (colon === start) return 'empty epoch before ":"';
    for (let k = start; k < colon; k++) {
      if (!isAsciiDigit(input.charCodeAt(k))) return 'epoch is not a number';
    }
    if (compareDigitRuns(input, start, colon, MAX_EPOCH, 0, MAX_EPOCH.length) > 0) {
      return `epoch larger than ${MAX_EPOCH}`;
    }
    if (colon + 1 === end) return 'epoch without version';
    epoch = Number(input.slice(start, colon));
    upstreamStart = colon + 1;
  }

  let upstreamEnd = end;
  let revisionStart = end;
  const hyphen = input.lastIndexOf('-', end - 1);
  if (hyphen >= upstreamStart) {
    if (hyphen === end - 1) return 'empty revision after "-"';
    upstreamEnd = hyphen;
    revisionStart = hyphen + 1;
  }
  if (upstreamEnd === upstreamStart) return 'empty upstream version';

  for (let k = upstreamStart; k < upstreamEnd; k++) {
    const c = input.charCodeAt(k);
    if (!isAsciiAlphanumeric(c) && c !== 0x2e && c !== 0x2b && c !== TILDE && c !== HYPHEN && c !== COLON) {
      return `invalid character ${JSON.stringify(input[k])} in upstream version`;
    }
  }
  for (let k = revisionStart; k < end; k++) {
    const c = input.charCodeAt(k);
    if (!isAsciiAlphanumeric(c) && c !== 0x2e && c !== 0x2b && c !== TILDE) {
      return `invalid character ${JSON.stringify(input[k])} in revision`;
    }
  }
  return {
    epoch,
    upstream: input.slice(upstreamStart, upstreamEnd),
    revision: input.slice(revisionStart, end),
  };
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}
