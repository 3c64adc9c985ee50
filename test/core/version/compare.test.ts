import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.ts';
import {
  compareVersions,
  isValidVersion,
  isVersionScheme,
  tryCompareVersions,
  VERSION_SCHEMES,
} from '../../../src/core/version/compare.ts';
import type { VersionScheme } from '../../../src/core/version/comparison.ts';
import { InvalidVersionError } from '../../../src/core/version/errors.ts';

/** One row per scheme: [scheme, older, newer, invalid]. */
const SCHEME_ROWS = [
  ['rpm', '219-62.el7_6.9', '219-62.el7_6.10', '1:'],
  ['dpkg', '241-7~deb10u8', '241-7', '1.0-'],
  ['systemd', '242-rc2', '242', '252.38-1~deb12u1'],
  ['upstream', '1.0.0-rc9', '1.0.0-rc10', 'Kubernetes v1.29.6'],
] as const;

describe('VERSION_SCHEMES', () => {
  it('lists every scheme once', () => {
    expect([...VERSION_SCHEMES].sort()).toEqual(['dpkg', 'rpm', 'systemd', 'upstream']);
    expect(SCHEME_ROWS.map(([scheme]) => scheme).sort()).toEqual([...VERSION_SCHEMES].sort());
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(VERSION_SCHEMES)).toBe(true);
  });
});

describe('compareVersions', () => {
  it.for(SCHEME_ROWS)('dispatches %s: %s < %s', ([scheme, older, newer]) => {
    expect(compareVersions(scheme, older, newer)).toBe(-1);
    expect(compareVersions(scheme, newer, older)).toBe(1);
    expect(compareVersions(scheme, newer, newer)).toBe(0);
  });

  it.for(SCHEME_ROWS)(
    'throws InvalidVersionError naming the %s scheme for %s vs %j',
    ([scheme, older, , invalid]) => {
      expect(() => compareVersions(scheme, older, invalid)).toThrow(InvalidVersionError);
      expect(() => compareVersions(scheme, invalid, older)).toThrow(
        expect.objectContaining({ scheme, input: invalid }),
      );
    },
  );

  it('fails clearly on a scheme name that came from unchecked data', () => {
    const bogus = 'semver' as VersionScheme;
    expect(() => compareVersions(bogus, '1', '2')).toThrow(AppError);
    expect(() => compareVersions(bogus, '1', '2')).toThrow('unknown version scheme "semver"');
  });
});

describe('tryCompareVersions', () => {
  it.for(SCHEME_ROWS)('compares valid %s versions', ([scheme, older, newer]) => {
    expect(tryCompareVersions(scheme, older, newer)).toBe(-1);
  });

  it.for(SCHEME_ROWS)('returns undefined when either %s side is invalid', ([scheme, older, , invalid]) => {
    expect(tryCompareVersions(scheme, older, invalid)).toBeUndefined();
    expect(tryCompareVersions(scheme, invalid, older)).toBeUndefined();
  });

  it('returns undefined for an unknown scheme', () => {
    expect(tryCompareVersions('semver' as VersionScheme, '1', '2')).toBeUndefined();
  });
});

describe('isValidVersion', () => {
  it.for(SCHEME_ROWS)('accepts %s versions and rejects %j', ([scheme, older, newer, invalid]) => {
    expect(isValidVersion(scheme, older)).toBe(true);
    expect(isValidVersion(scheme, newer)).toBe(true);
    expect(isValidVersion(scheme, invalid)).toBe(false);
  });

  it('rejects everything for an unknown scheme', () => {
    expect(isValidVersion('semver' as VersionScheme, '1.0.0')).toBe(false);
  });
});

describe('isVersionScheme', () => {
  it.for([
    ['rpm', true],
    ['upstream', true],
    ['semver', false],
    ['toString', false],
    ['__proto__', false],
    [42, false],
    [undefined, false],
  ] as const)('says %j is a scheme: %s', ([value, expected]) => {
    expect(isVersionScheme(value)).toBe(expected);
  });
});
