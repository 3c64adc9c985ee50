import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from '../../../src/core/version/errors.ts';
import { compareRpm } from '../../../src/core/version/rpm.ts';
import { compareDpkg } from '../../../src/core/version/dpkg.ts';
import {
  compareSystemd,
  compareSystemdVersion,
  parseSystemdVersion,
  tryParseSystemdVersion,
} from '../../../src/core/version/systemd.ts';
import {
  SYSTEMD_COMPARISON_ROWS,
  SYSTEMD_INVALID_ROWS,
  SYSTEMD_LADDER,
  SYSTEMD_PARSE_ROWS,
} from '../../fixtures/version/systemd.ts';
import { expectRejected } from './invalid-assertions.ts';
import { expectComparedBothWays, expectRungInPlace } from './order-assertions.ts';

describe('parseSystemdVersion', () => {
  it.for(SYSTEMD_PARSE_ROWS)('reads %j as release %j, pre-release %j', ([input, release, preRelease]) => {
    expect(parseSystemdVersion(input)).toEqual({ release, preRelease });
    expect(tryParseSystemdVersion(input)).toEqual({ release, preRelease });
  });

  it('takes the point release from a Debian 12 systemctl --version line', () => {
    expect(parseSystemdVersion('systemd 252 (252.38-1~deb12u1)').release).toEqual(['252', '38']);
  });

  it('ignores the RHEL package revision in a systemctl --version line', () => {
    expect(parseSystemdVersion('systemd 239 (239-82.el8_10.17)').release).toEqual(['239']);
  });

  it.for(SYSTEMD_INVALID_ROWS)('rejects %j: %s', ([input, reason]) => {
    expectRejected('systemd', parseSystemdVersion, tryParseSystemdVersion, input, reason);
  });
});

describe('compareSystemd', () => {
  it.for(SYSTEMD_COMPARISON_ROWS)('compares %j with %j as %d (%s)', ([a, b, expected]) => {
    expectComparedBothWays(compareSystemd, a, b, expected);
  });

  it('orders 242-rc1 < 242-rc2 < 242 < 242.1', () => {
    expect(compareSystemd('242-rc1', '242-rc2')).toBe(-1);
    expect(compareSystemd('242-rc2', '242')).toBe(-1);
    expect(compareSystemd('242', '242.1')).toBe(-1);
  });

  it('treats 256~devel as older than 256', () => {
    expect(compareSystemd('256~devel', '256')).toBe(-1);
  });

  it.for(SYSTEMD_LADDER.map((rung, index) => [rung, index] as const))(
    'sorts %j (ladder rung %d) after every lower rung and before every higher one',
    ([, index]) => {
      expectRungInPlace(compareSystemd, SYSTEMD_LADDER, index);
    },
  );

  it('gets 242-rc2 < 242 right where the package comparators do not', () => {
    // Why a separate scheme: dpkg reads "rc2" as a revision, rpm as one more segment.
    expect(compareDpkg('242-rc2', '242')).toBe(1);
    expect(compareRpm('242-rc2', '242')).toBe(1);
    expect(compareSystemd('242-rc2', '242')).toBe(-1);
  });

  it('throws InvalidVersionError for an invalid side', () => {
    expect(() => compareSystemd('242', '252.38-1~deb12u1')).toThrow(InvalidVersionError);
  });
});

describe('compareSystemdVersion', () => {
  it('compares parsed versions without reparsing', () => {
    expect(compareSystemdVersion({ release: ['252', '38'] }, { release: ['252'] })).toBe(1);
    expect(
      compareSystemdVersion(
        { release: ['256'], preRelease: { tag: 'rc', number: '1' } },
        { release: ['256'], preRelease: { tag: 'devel', number: '0' } },
      ),
    ).toBe(1);
  });
});
