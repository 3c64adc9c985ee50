import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from '../../../src/core/version/errors.ts';
import {
  compareRpm,
  compareRpmEvr,
  parseRpmEvr,
  rpmvercmp,
  tryParseRpmEvr,
} from '../../../src/core/version/rpm.ts';
import { RPM_EVR_LADDER, RPM_EVR_ROWS, RPM_INVALID_ROWS } from '../../fixtures/version/rpm-evr.ts';
import { RPMVERCMP_ODDITY_ROWS, RPMVERCMP_ROWS } from '../../fixtures/version/rpmvercmp.ts';
import { expectRejected } from './invalid-assertions.ts';
import { expectComparedBothWays, expectRungInPlace } from './order-assertions.ts';

describe('rpmvercmp', () => {
  it.for(RPMVERCMP_ROWS)("matches rpm's table: rpmvercmp(%s, %s) = %d", ([a, b, expected]) => {
    expectComparedBothWays(rpmvercmp, a, b, expected);
  });

  it.for(RPMVERCMP_ODDITY_ROWS)(
    "keeps rpm's documented oddity: rpmvercmp(%s, %s) = %d",
    ([a, b, expected]) => {
      expectComparedBothWays(rpmvercmp, a, b, expected);
    },
  );

  it.for([
    ['1.0~rc1', '1.0~', 1, '~ followed by more sorts after a bare ~'],
    ['1.0~', '1.0', -1, 'a bare ~ still sorts before the end'],
    ['1.0~', '1.0^', -1, '~ sorts before ^'],
    ['1.0^', '1.0^a', -1, 'after ^, more segments are newer'],
    ['1.0^', '1.0.', 1, 'a trailing separator is nothing: ^ still beats the end'],
    ['1.0', '1.0.', 0, 'trailing separators do not count'],
    ['', '', 0, 'two empty fields are equal'],
    ['', '.', 0, 'separators alone equal the empty field'],
    ['', '0', -1, 'anything beats the empty field'],
    ['', '~', 1, 'except ~'],
    ['1.99999999999999999999999', '1.100000000000000000000000', -1, 'huge numbers compare exactly'],
    ['a1', '1', -1, 'digits beat letters at the start too'],
    ['1.0a', '1.0A', 1, 'letters compare by ASCII code: a > A'],
    ['1.0-1', '1.0_1', 0, 'the raw field algorithm treats - as just a separator'],
  ] as const)('compares raw field %s with %s as %d: %s', ([a, b, expected]) => {
    expectComparedBothWays(rpmvercmp, a, b, expected);
  });
});

describe('compareRpm', () => {
  it.for(RPM_EVR_ROWS)('compares %s with %s as %d (%s)', ([a, b, expected]) => {
    expectComparedBothWays(compareRpm, a, b, expected);
  });

  it('treats 219-62.el7_6.10 as newer than 219-62.el7_6.9', () => {
    expect(compareRpm('219-62.el7_6.10', '219-62.el7_6.9')).toBe(1);
  });

  it('treats 219-67.el7 as newer than 219-62.el7_6.10', () => {
    expect(compareRpm('219-67.el7', '219-62.el7_6.10')).toBe(1);
  });

  it('treats 219-78.amzn2.0.22 as newer than 219-57.amzn2.0.12', () => {
    expect(compareRpm('219-78.amzn2.0.22', '219-57.amzn2.0.12')).toBe(1);
  });

  it.for(RPM_EVR_LADDER.map((rung, index) => [rung, index] as const))(
    'sorts %j (ladder rung %d) after every lower rung and before every higher one',
    ([, index]) => {
      expectRungInPlace(compareRpm, RPM_EVR_LADDER, index);
    },
  );

  it('throws InvalidVersionError for an invalid side', () => {
    expect(() => compareRpm('1.0', '1:')).toThrow(InvalidVersionError);
    expect(() => compareRpm('', '1.0')).toThrow(InvalidVersionError);
  });
});

describe('parseRpmEvr', () => {
  it.for([
    ['219-78.el7_9.7', { epoch: 0, version: '219', release: '78.el7_9.7' }],
    ['1:2.0-3', { epoch: 1, version: '2.0', release: '3' }],
    ['01:2.0', { epoch: 1, version: '2.0', release: undefined }],
    ['219', { epoch: 0, version: '219', release: undefined }],
    ['4294967295:1', { epoch: 4294967295, version: '1', release: undefined }],
    ['1.0~rc1^git2_3+4-0.1', { epoch: 0, version: '1.0~rc1^git2_3+4', release: '0.1' }],
  ] as const)('splits %s into epoch, version and release', ([input, expected]) => {
    expect(parseRpmEvr(input)).toEqual(expected);
    expect(tryParseRpmEvr(input)).toEqual(expected);
  });

  it('leaves release undefined rather than empty when there is none', () => {
    expect(parseRpmEvr('1.0').release).toBeUndefined();
  });

  it.for(RPM_INVALID_ROWS)('rejects %j: %s', ([input, reason]) => {
    expectRejected('rpm', parseRpmEvr, tryParseRpmEvr, input, reason);
  });
});

describe('compareRpmEvr', () => {
  it('compares parsed labels without reparsing', () => {
    expect(compareRpmEvr({ epoch: 0, version: '1.0' }, { epoch: 0, version: '1.0', release: '1' })).toBe(-1);
    expect(compareRpmEvr({ epoch: 2, version: '1' }, { epoch: 1, version: '9' })).toBe(1);
  });
});
