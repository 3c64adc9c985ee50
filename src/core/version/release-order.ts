import type { Comparison } from './comparison.ts';
import { compareDigitStrings, type DigitString } from './digit-run.ts';

/** A version as dotted numbers plus an optional tagged pre-release (systemd and upstream schemes). */
export interface TaggedRelease<Tag extends string> {
  readonly release: readonly DigitString[];
  readonly preRelease?: { readonly tag: Tag; readonly number: DigitString };
}

/**
 * Release numbers first (missing ones are 0), then a pre-release sorts before no pre-release,
 * pre-releases by the tag's rank and then by number (rc9 < rc10).
 */
export function compareTaggedReleases<Tag extends string>(
  a: TaggedRelease<Tag>,
  b: TaggedRelease<Tag>,
  tagRank: Readonly<Record<Tag, number>>,
): Comparison {
  const length = Math.max(a.release.length, b.release.length);
  for (let k = 0; k < length; k++) {
    const order = compareDigitStrings(a.release[k] ?? '0', b.release[k] ?? '0');
    if (order !== 0) return order;
  }
  const aPre = a.preRelease;
  const bPre = b.preRelease;
  if (aPre === undefined) return bPre === undefined ? 0 : 1;
  if (bPre === undefined) return -1;
  if (aPre.tag !== bPre.tag) return tagRank[aPre.tag] > tagRank[bPre.tag] ? 1 : -1;
  return compareDigitStrings(aPre.number, bPre.number);
}
