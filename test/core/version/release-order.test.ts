import { describe, expect, it } from 'vitest';
import { compareTaggedReleases, type TaggedRelease } from '../../../src/core/version/release-order.ts';

const RANK = { alpha: 0, rc: 1 } as const;
type Tag = keyof typeof RANK;
const v = (release: string[], pre?: [Tag, string]): TaggedRelease<Tag> =>
  pre ? { release, preRelease: { tag: pre[0], number: pre[1] } } : { release };

// Ascending ladder; every pair is checked both ways and against itself.
const LADDER = [
  v(['1', '0'], ['alpha', '2']),
  v(['1', '0'], ['rc', '9']),
  v(['1', '0'], ['rc', '10']),
  v(['1']),
  v(['1', '0', '1']),
  v(['1', '10']),
];

describe('compareTaggedReleases', () => {
  it('orders the ladder: missing numbers are 0, pre-releases before the release, rank then number', () => {
    LADDER.forEach((a, i) => {
      LADDER.forEach((b, j) => {
        expect(compareTaggedReleases(a, b, RANK), `${i} vs ${j}`).toBe(Math.sign(i - j));
      });
    });
  });
});
