/**
 * rpm versions: `[epoch:]version[-release]`, ordered as rpm 4.18 orders them (rpmvercmp on each
 * field, rpmverCmp across fields). Grammar and the places we are stricter than rpm: GRAMMAR.md.
 * Sources: rpm-version(7) (https://man7.org/linux/man-pages/man7/rpm-version.7.html), rpm's
 * lib/rpmvercmp.c and rpmio/rpmver.c (parseEVR, rpmverCmp; read at commit ad664517 of
 * https://github.com/rpm-software-management/rpm), checked against rpm 4.18's own `rpm.vercmp`
 * by test/core/version/rpm-differential.test.ts.
 */
import { isAsciiAlphanumeric, isAsciiDigit, isAsciiLetter } from './ascii.ts';
import { type Comparison, MAX_VERSION_LENGTH } from './comparison.ts';
import { compareDigitRuns } from './digit-run.ts';
import { InvalidVersionError } from './errors.ts';

export interface RpmEvr {
  /** 0 when the label has none: rpm compares a missing epoch as 0. */
  readonly epoch: number;
  readonly version: string;
  /** Absent when the label has no `-`; rpm sorts a missing release before any release. */
  readonly release?: string;
}

const TILDE = 0x7e;
const CARET = 0x5e;
const COLON = 0x3a;
const HYPHEN = 0x2d;

/** rpm stores EPOCH as a 32-bit integer tag. */
const MAX_EPOCH = '4294967295';

/**
 * rpm's segment comparison of one field (version or release). Runs of digits compare as
 * integers, runs of letters as strings, a digit run beats a letter run; every other character
 * only delimits. `~` sorts before anything, even the end of the string; `^` sorts after the end
 * of the string but before any further segment. When all segments tie, the longer string wins.
 * Accepts any string: this is the algorithm, not a parser.
 */
export function rpmvercmp(a: string, b: string): Comparison {
  if (a === b) return 0;
  const aEnd = a.length;
  const bEnd = b.length;
  let i = 0;
  let j = 0;
  while (i < aEnd || j < bEnd) {
    while (i < aEnd && isSeparator(a.charCodeAt(i))) i++;
    while (j < bEnd && isSeparator(b.charCodeAt(j))) j++;
    const ca = i < aEnd ? a.charCodeAt(i) : -1;
    const cb = j < bEnd ? b.charCodeAt(j) : -1;

    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (ca === -1) return -1;
      if (cb === -1) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === -1 || cb === -1) break;

    if (isAsciiDigit(ca)) {
      let aSegmentEnd = i + 1;
      while (aSegmentEnd < aEnd && isAsciiDigit(a.charCodeAt(aSegmentEnd))) aSegmentEnd++;
      let bSegmentEnd = j;
      while (bSegmentEnd < bEnd && isAsciiDigit(b.charCodeAt(bSegmentEnd))) bSegmentEnd++;
      // A number against letters: the number is newer.
      if (bSegmentEnd === j) return 1;
      const order = compareDigitRuns(a, i, aSegmentEnd, b, j, bSegmentEnd);
      if (order !== 0) return order;
      i = aSegmentEnd;
      j = bSegmentEnd;
    } else {
      let aSegmentEnd = i + 1;
      while (aSegmentEnd < aEnd && isAsciiLetter(a.charCodeAt(aSegmentEnd))) aSegmentEnd++;
      let bSegmentEnd = j;
      while (bSegmentEnd < bEnd && isAsciiLetter(b.charCodeAt(bSegmentEnd))) bSegmentEnd++;
      if (bSegmentEnd === j) return -1;
      const order = compareLetterRuns(a, i, aSegmentEnd, b, j, bSegmentEnd);
      if (order !== 0) return order;
      i = aSegmentEnd;
      j = bSegmentEnd;
    }
  }
  // Every segment tied; separators may still differ ("1.0" vs "1_0"), which does not count.
  if (i >= aEnd && j >= bEnd) return 0;
  return i >= aEnd ? -1 : 1;
}

/** Compares two parsed labels the way rpm 4.18's rpmverCmp does: epoch, version, then release. */
export function compareRpmEvr(a: RpmEvr, b: RpmEvr): Comparison {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch ? 1 : -1;
  const byVersion = rpmvercmp(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  // rpmverCmp (rpm >= 4.16) treats a missing release as older than any release. Dependency
  // matching (rpmdsCompare) would instead ignore it; a total order needs the former.
  if (a.release === undefined) return b.release === undefined ? 0 : -1;
  if (b.release === undefined) return 1;
  return rpmvercmp(a.release, b.release);
}

/** Compares two `[epoch:]version[-release]` labels; throws InvalidVersionError for either. */
export function compareRpm(a: string, b: string): Comparison {
  return compareRpmEvr(parseRpmEvr(a), parseRpmEvr(b));
}

/** Parses `[epoch:]version[-release]`; throws InvalidVersionError naming the input. */
export function parseRpmEvr(input: string): RpmEvr {
  const parsed = scanRpmEvr(input);
  if (typeof parsed === 'string') throw new InvalidVersionError('rpm', input, parsed);
  return parsed;
}

/** Like parseRpmEvr, but returns undefined instead of throwing. */
export function tryParseRpmEvr(input: string): RpmEvr | undefined {
  const parsed = scanRpmEvr(input);
  return typeof parsed === 'string' ? undefined : parsed;
}

/** The label, or the reason it is rejected. */
function scanRpmEvr(input: string): RpmEvr | string {
  const end = input.length;
  if (end === 0) return 'empty';
  if (end > MAX_VERSION_LENGTH) return `longer than ${MAX_VERSION_LENGTH} characters`;

  // Like rpm's parseEVR: an epoch is the leading digits when a ':' follows them.
  let epochEnd = 0;
  while (epochEnd < end && isAsciiDigit(input.charCodeAt(epochEnd))) epochEnd++;
  let epoch = 0;
  let versionStart = 0;
  if (epochEnd < end && input.charCodeAt(epochEnd) === COLON) {
    if (epochEnd === 0) return 'empty epoch before ":"';
    if (compareDigitRuns(input, 0, epochEnd, MAX_EPOCH, 0, MAX_EPOCH.length) > 0) {
      return `epoch larger than ${MAX_EPOCH}`;
    }
    epoch = Number(input.slice(0, epochEnd));
    versionStart = epochEnd + 1;
    if (versionStart === end) return 'epoch without version';
  }

  let hyphen = -1;
  for (let k = versionStart; k < end; k++) {
    const c = input.charCodeAt(k);
    if (c === HYPHEN) {
      if (hyphen !== -1) return 'more than one "-" (rpm versions and releases cannot contain "-")';
      hyphen = k;
    } else if (c === COLON) {
      return versionStart === 0 ? 'epoch is not a number' : '":" after the epoch';
    } else if (!isRpmLabelCharacter(c)) {
      return `invalid character ${JSON.stringify(input[k])}`;
    }
  }
  if (hyphen === versionStart) return 'empty version before "-"';
  if (hyphen === end - 1) return 'empty release after "-"';
  if (hyphen === -1) return { epoch, version: input.slice(versionStart), release: undefined };
  return { epoch, version: input.slice(versionStart, hyphen), release: input.slice(hyphen + 1) };
}

/** rpmvercmp treats everything but letters, digits, `~` and `^` as a segment delimiter. */
function isSeparator(code: number): boolean {
  return !isAsciiAlphanumeric(code) && code !== TILDE && code !== CARET;
}

/** What rpmbuild accepts in Version and Release once macros are expanded: letters, digits, `._+~^`. */
function isRpmLabelCharacter(code: number): boolean {
  return (
    isAsciiAlphanumeric(code) ||
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x2b || // +
    code === TILDE ||
    code === CARET
  );
}

/** strcmp over two runs of ASCII letters. */
function compareLetterRuns(
  a: string,
  i: number,
  aEnd: number,
  b: string,
  j: number,
  bEnd: number,
): Comparison {
  for (; i < aEnd && j < bEnd; i++, j++) {
    const c = a.charCodeAt(i);
    const d = b.charCodeAt(j);
    if (c !== d) return c > d ? 1 : -1;
  }
  if (i < aEnd) return 1;
  if (j < bEnd) return -1;
  return 0;
}
