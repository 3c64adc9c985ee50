import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import {
  compareVersions,
  isValidVersion,
  tryCompareVersions,
  VERSION_SCHEMES,
  type VersionScheme,
} from '../../src/core/version/compare.ts';
import { InvalidVersionError } from '../../src/core/version/errors.ts';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.ts';

/**
 * Every version scheme against generated versions: grammar-shaped ones (mostly valid, so the order
 * itself is exercised) and arbitrary code units (so the parsers meet what a node can print). The
 * order must be a total preorder (reflexive, antisymmetric, transitive, equal elements
 * interchangeable) and the only error an InvalidVersionError naming the input.
 */

const RUNS = fuzzRuns(3000);
const join = (parts: readonly string[]) => parts.join('');
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Numbers as versions carry them: small ones, zero-padded ones, and runs far past 2^53. */
const num = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 999 }).map(String) },
  { weight: 1, arbitrary: fc.stringMatching(/^0{1,3}[0-9]{1,3}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[1-9][0-9]{15,30}$/) },
);
const letters = fc.stringMatching(/^[a-zA-Z]{1,4}$/);

const rpmField = fc
  .array(fc.oneof(num, letters, fc.constantFrom('.', '_', '+', '~', '^', 'el7', 'el7_6', 'amzn2', 'fc40')), {
    minLength: 1,
    maxLength: 8,
  })
  .map(join);
const rpm = fc
  .tuple(opt(num), num, rpmField, opt(rpmField))
  .map(([epoch, head, rest, release]) => `${epoch === undefined ? '' : `${epoch}:`}${head}${rest}${release === undefined ? '' : `-${release}`}`);

const dpkgPart = fc
  .array(fc.oneof(num, letters, fc.constantFrom('.', '+', '~', 'dfsg', 'ds', 'deb12u', 'ubuntu')), { minLength: 1, maxLength: 8 })
  .map(join);
const dpkg = fc
  .tuple(opt(num), num, dpkgPart, opt(fc.tuple(opt(dpkgPart), dpkgPart)))
  .map(([epoch, head, upstream, revision]) => {
    const prefix = epoch === undefined ? '' : `${epoch}:`;
    // A hyphen inside the upstream part is allowed when a revision follows (the last one splits).
    const tail = revision === undefined ? '' : `${revision[0] === undefined ? '' : `-${revision[0]}`}-${revision[1]}`;
    return `${prefix}${head}${upstream}${tail}`;
  });

const dotted = fc.array(num, { minLength: 1, maxLength: 4 }).map((n) => n.join('.'));
const systemdTag = fc
  .tuple(fc.boolean(), dotted, opt(fc.tuple(fc.constantFrom('-', '~'), fc.oneof(opt(num).map((n) => `rc${n ?? ''}`), fc.constant('devel')))))
  .map(([v, release, pre]) => `${v ? 'v' : ''}${release}${pre === undefined ? '' : pre.join('')}`);
const systemd = fc.oneof(
  systemdTag,
  systemdTag.map((t) => `systemd ${t}`),
  fc
    .tuple(num, fc.oneof(dpkg, rpm, fc.stringMatching(/^[0-9a-z.~+_-]{1,20}$/)))
    .map(([major, build]) => `systemd ${major} (${build})`),
);

const upstream = fc
  .tuple(
    fc.boolean(),
    dotted,
    opt(fc.tuple(fc.constantFrom('', '-', '~', '.'), fc.constantFrom('alpha', 'beta', 'rc'), fc.constantFrom('', '.'), opt(num))),
    opt(fc.constantFrom('-ce', '-ee', '+dfsg1', '-eks-5e0fdde', '+k3s1', '~ds1', '-ce-rc1', '+dev', '-0ubuntu1~22.04.1')),
  )
  .map(([v, release, pre, suffix]) => `${v ? 'v' : ''}${release}${pre === undefined ? '' : `${pre[0]}${pre[1]}${pre[2] === '.' && pre[3] === undefined ? '' : pre[2]}${pre[3] ?? ''}`}${suffix ?? ''}`);

const GRAMMAR: Readonly<Record<VersionScheme, fc.Arbitrary<string>>> = { rpm, dpkg, systemd, upstream };

/** A grammar-shaped version with one character inserted: near misses, valid or not. */
const nearMiss = (arb: fc.Arbitrary<string>) =>
  fc
    .tuple(arb, fc.nat(), fc.constantFrom(' ', '-', ':', '~', '(', ')', '\n', 'é', '\u0000', '\ufffd', '.', '^', 'v'))
    .map(([s, at, c]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1)));

const anyInput = (scheme: VersionScheme) =>
  fc.oneof(
    GRAMMAR[scheme],
    nearMiss(GRAMMAR[scheme]),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '-', '~', '^', ':', '+', 'a', 'r', 'c', 'v', ' '), maxLength: 40 }),
  );

/** A valid version of the scheme; the generators are grammar-shaped, so few are filtered away. */
const validOf = (scheme: VersionScheme) => GRAMMAR[scheme].filter((v) => isValidVersion(scheme, v));

function expectExactComparison(value: unknown): void {
  expect([-1, 0, 1].some((c) => Object.is(c, value))).toBe(true);
}

describe.each(VERSION_SCHEMES.map((s) => [s]))('%s scheme under fuzzing', (scheme) => {
  it(
    `never throws anything but InvalidVersionError naming the input (${RUNS} pairs)`,
    () => {
      fc.assert(
        fc.property(anyInput(scheme), anyInput(scheme), (a, b) => {
          const valid = isValidVersion(scheme, a) && isValidVersion(scheme, b);
          const tried = tryCompareVersions(scheme, a, b);
          let compared: unknown;
          let error: unknown;
          try {
            compared = compareVersions(scheme, a, b);
          } catch (e) {
            error = e;
          }
          if (valid) {
            expect(error).toBeUndefined();
            expectExactComparison(compared);
            expect(tried).toBe(compared);
          } else {
            expect(tried).toBeUndefined();
            expect(error).toBeInstanceOf(InvalidVersionError);
            const invalid = error as InvalidVersionError;
            expect(invalid.scheme).toBe(scheme);
            expect(invalid.code).toBe('version.invalid');
            expect([a, b]).toContain(invalid.input);
            expect(isValidVersion(scheme, invalid.input)).toBe(false);
            expect(invalid.message).not.toMatch(/[\n\r]/);
          }
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeoutMs(3000, 1),
  );

  it(
    `orders valid versions as a total preorder (${RUNS} triples)`,
    () => {
      const valid = validOf(scheme);
      fc.assert(
        fc.property(valid, valid, valid, (a, b, c) => {
          const ab = compareVersions(scheme, a, b);
          expectExactComparison(ab);
          expect(compareVersions(scheme, a, a)).toBe(0);
          expect(compareVersions(scheme, b, a)).toBe(-ab || 0);
          const bc = compareVersions(scheme, b, c);
          const ac = compareVersions(scheme, a, c);
          if (ab <= 0 && bc <= 0) expect(ac).toBeLessThanOrEqual(0);
          if (ab >= 0 && bc >= 0) expect(ac).toBeGreaterThanOrEqual(0);
          if (ab === 0) expect(ac).toBe(bc);
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeoutMs(3000, 1),
  );

  it('generates mostly valid versions, so the order property is not vacuous', () => {
    const sample = fc.sample(GRAMMAR[scheme], { numRuns: 1000, seed: 42 });
    const valid = sample.filter((v) => isValidVersion(scheme, v)).length;
    expect(valid).toBeGreaterThan(700);
  });
});

describe('scheme names read from data', () => {
  it('refuse an unknown scheme with a typed error, not a crash', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }).filter((s) => !(VERSION_SCHEMES as readonly string[]).includes(s)),
        (scheme) => {
          expect(() => compareVersions(scheme as VersionScheme, '1', '2')).toThrow(AppError);
          expect(tryCompareVersions(scheme as VersionScheme, '1', '2')).toBeUndefined();
          expect(isValidVersion(scheme as VersionScheme, '1')).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
