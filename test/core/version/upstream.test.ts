import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from '../../../src/core/version/errors.ts';
import {
  compareUpstream,
  compareUpstreamVersion,
  parseUpstreamVersion,
  tryParseUpstreamVersion,
} from '../../../src/core/version/upstream.ts';
import {
  UPSTREAM_COMPARISON_ROWS,
  UPSTREAM_INVALID_ROWS,
  UPSTREAM_LADDER,
  UPSTREAM_PARSE_ROWS,
} from '../../fixtures/version/upstream.ts';
import { expectRejected } from './invalid-assertions.ts';
import { expectComparedBothWays, expectRungInPlace } from './order-assertions.ts';

describe('parseUpstreamVersion', () => {
  it.for(UPSTREAM_PARSE_ROWS)('reads %j as release %j, pre-release %j', ([input, release, preRelease]) => {
    expect(parseUpstreamVersion(input)).toEqual({ release, preRelease });
    expect(tryParseUpstreamVersion(input)).toEqual({ release, preRelease });
  });

  it.for(UPSTREAM_INVALID_ROWS)('rejects %j: %s', ([input, reason]) => {
    expectRejected('upstream', parseUpstreamVersion, tryParseUpstreamVersion, input, reason);
  });
});

describe('compareUpstream', () => {
  it.for(UPSTREAM_COMPARISON_ROWS)('compares %j with %j as %d (%s)', ([a, b, expected]) => {
    expectComparedBothWays(compareUpstream, a, b, expected);
  });

  it.for(UPSTREAM_LADDER.map((rung, index) => [rung, index] as const))(
    'sorts %j (ladder rung %d) after every lower rung and before every higher one',
    ([, index]) => {
      expectRungInPlace(compareUpstream, UPSTREAM_LADDER, index);
    },
  );

  it('treats 1.1.12-0ubuntu2~20.04.1 as equal to 1.1.12', () => {
    expect(compareUpstream('1.1.12-0ubuntu2~20.04.1', '1.1.12')).toBe(0);
  });

  it('treats 18.06.1-ce as equal to 18.6.1', () => {
    expect(compareUpstream('18.06.1-ce', '18.6.1')).toBe(0);
  });

  it('throws InvalidVersionError for an invalid side', () => {
    expect(() => compareUpstream('1.0', 'Kubernetes v1.29.6')).toThrow(InvalidVersionError);
  });
});

describe('where plain semver goes wrong', () => {
  it('orders runc 1.0.0-rc10 after rc9, which semver sorts before it', () => {
    expect(semver.compare('1.0.0-rc10', '1.0.0-rc9')).toBe(-1);
    expect(compareUpstream('1.0.0-rc10', '1.0.0-rc9')).toBe(1);
  });

  it('accepts Docker 18.09.1, which semver rejects for its leading zero', () => {
    expect(semver.valid('18.09.1')).toBeNull();
    expect(parseUpstreamVersion('18.09.1').release).toEqual(['18', '9', '1']);
    expect(compareUpstream('18.09.1', '18.9.1')).toBe(0);
  });

  it('treats an EKS build tag as a suffix, which semver reads as a pre-release', () => {
    expect(semver.compare('1.28.5-eks-5e0fdde', '1.28.5')).toBe(-1);
    expect(compareUpstream('v1.28.5-eks-5e0fdde', '1.28.5')).toBe(0);
  });
});

describe('compareUpstreamVersion', () => {
  it('compares parsed versions without reparsing', () => {
    expect(compareUpstreamVersion({ release: ['1', '1', '12'] }, { release: ['1', '1', '5'] })).toBe(1);
    expect(
      compareUpstreamVersion(
        { release: ['1'], preRelease: { tag: 'beta', number: '9' } },
        { release: ['1'], preRelease: { tag: 'rc', number: '0' } },
      ),
    ).toBe(-1);
  });
});
