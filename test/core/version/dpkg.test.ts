import { describe, expect, it } from 'vitest';
import {
  checkDpkgVersion,
  compareDpkg,
  compareDpkgVersion,
  parseDpkgVersion,
  tryParseDpkgVersion,
} from '../../../src/core/version/dpkg.ts';
import { InvalidVersionError } from '../../../src/core/version/errors.ts';
import {
  DPKG_COMPARISON_ROWS,
  DPKG_INVALID_REVISION_CHARACTERS,
  DPKG_INVALID_ROWS,
  DPKG_INVALID_UPSTREAM_CHARACTERS,
  DPKG_LADDER,
  DPKG_PARSE_ROWS,
  DPKG_WARNING_ROWS,
} from '../../fixtures/version/dpkg.ts';
import { expectRejected } from './invalid-assertions.ts';
import { expectComparedBothWays, expectRungInPlace } from './order-assertions.ts';

describe('compareDpkg', () => {
  it.for(DPKG_COMPARISON_ROWS)('compares %j with %j as %d (%s)', ([a, b, expected]) => {
    expectComparedBothWays(compareDpkg, a, b, expected);
  });

  it('treats 241-7~deb10u8 as older than 241-7', () => {
    expect(compareDpkg('241-7~deb10u8', '241-7')).toBe(-1);
  });

  it.for(DPKG_LADDER.map((rung, index) => [rung, index] as const))(
    'sorts %j (ladder rung %d) after every lower rung and before every higher one',
    ([, index]) => {
      expectRungInPlace(compareDpkg, DPKG_LADDER, index);
    },
  );

  it('compares versions dpkg only warns about, as dpkg --compare-versions does', () => {
    expect(compareDpkg('a', 'b')).toBe(-1);
    expect(compareDpkg('a', '1')).toBe(1);
  });

  it('throws InvalidVersionError for an invalid side', () => {
    expect(() => compareDpkg('1.0', '1:')).toThrow(InvalidVersionError);
  });
});

describe('parseDpkgVersion', () => {
  it.for(DPKG_PARSE_ROWS)(
    'parses %j as epoch %d, upstream %j, revision %j',
    ([input, epoch, upstream, revision]) => {
      expect(parseDpkgVersion(input)).toEqual({ epoch, upstream, revision });
      expect(tryParseDpkgVersion(input)).toEqual({ epoch, upstream, revision });
      expect(checkDpkgVersion(input)).toBeUndefined();
    },
  );

  it('takes the revision from after the last hyphen', () => {
    expect(parseDpkgVersion('5.4.0-1103-aws')).toEqual({ epoch: 0, upstream: '5.4.0-1103', revision: 'aws' });
  });

  it.for(DPKG_INVALID_ROWS)('rejects %j: %s', ([input, reason]) => {
    expectRejected('dpkg', parseDpkgVersion, tryParseDpkgVersion, input, reason);
    expect(checkDpkgVersion(input)).toEqual({ severity: 'error', reason });
  });

  it.for([...DPKG_INVALID_UPSTREAM_CHARACTERS])('rejects %j in the upstream version', (character) => {
    const input = `0:0${character}-0`;
    expectRejected(
      'dpkg',
      parseDpkgVersion,
      tryParseDpkgVersion,
      input,
      `invalid character ${JSON.stringify(character)} in upstream version`,
    );
  });

  it.for([...DPKG_INVALID_REVISION_CHARACTERS])('rejects %j in the revision', (character) => {
    const input = `0:0-${character}`;
    expectRejected(
      'dpkg',
      parseDpkgVersion,
      tryParseDpkgVersion,
      input,
      `invalid character ${JSON.stringify(character)} in revision`,
    );
  });
});

describe('checkDpkgVersion', () => {
  it.for(DPKG_WARNING_ROWS)('accepts %j with a warning: %s', ([input, reason]) => {
    expect(parseDpkgVersion(input).upstream).not.toBe('');
    expect(checkDpkgVersion(input)).toEqual({ severity: 'warning', reason });
  });

  it('finds nothing wrong with a Policy-conforming version', () => {
    expect(checkDpkgVersion('1:252.38-1~deb12u1')).toBeUndefined();
  });
});

describe('compareDpkgVersion', () => {
  it('compares parsed versions without reparsing', () => {
    const parsed = parseDpkgVersion('1.0-1');
    expect(compareDpkgVersion(parsed, { epoch: 0, upstream: '1.0', revision: '' })).toBe(1);
    expect(compareDpkgVersion({ epoch: 1, upstream: '0', revision: '' }, parsed)).toBe(1);
  });
});
