import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/core/version/comparison.ts';
import { compareRpm, rpmvercmp, tryParseRpmEvr } from '../../../src/core/version/rpm.ts';
import { RPM_EVR_LADDER, RPM_EVR_ROWS } from '../../fixtures/version/rpm-evr.ts';
import { RPMVERCMP_ODDITY_ROWS, RPMVERCMP_ROWS } from '../../fixtures/version/rpmvercmp.ts';
import { isCommandAvailable, runWithInput } from './external-tool.ts';
import { ladderPairs } from './order-assertions.ts';
import { createSeededRandom, type SeededRandom } from './seeded-random.ts';

/**
 * Differential test against rpm's own comparison. One rpm process answers every pair: a Lua loop
 * reads "mode<TAB>a<TAB>b" lines from stdin. Mode e uses rpm.vercmp, which in rpm 4.18 parses both
 * sides as [epoch:]version[-release] and compares with rpmverCmp; mode f builds rpm.ver(nil, x, nil)
 * so the raw field algorithm (rpmvercmp) sees the strings untouched, separators and all.
 */
const RPM_LUA = `%{lua:
local out = {}
for line in io.lines() do
  local mode, a, b = line:match("^(%a)\\t([^\\t]*)\\t([^\\t]*)$")
  local r
  if mode == "e" then
    r = rpm.vercmp(a, b)
  else
    local va, vb = rpm.ver(nil, a, nil), rpm.ver(nil, b, nil)
    if va < vb then r = -1 elseif va == vb then r = 0 else r = 1 end
  end
  out[#out + 1] = tostring(r)
end
io.write(table.concat(out, "\\n"), "\\n")
}`;

const SEED = 20_240_131;
const GENERATED_PAIRS = 10_000;

interface Case {
  readonly mode: 'e' | 'f';
  readonly a: string;
  readonly b: string;
}

const FIELD_TOKENS = [
  '0',
  '1',
  '2',
  '9',
  '10',
  '007',
  '62',
  '123456789012345678901',
  'a',
  'b',
  'z',
  'A',
  'rc',
  'el',
  'git',
  'amzn',
  'fc',
];
const FIELD_PUNCTUATION = ['.', '.', '_', '+', '~', '^'];
/** Raw fields may hold anything; rpmvercmp must treat every other character as a plain delimiter. */
const RAW_EXTRA = ['-', ':', ' ', '%', '#', '/', ',', '!', 'é', 'α'];

function randomField(random: SeededRandom, extra: readonly string[]): string {
  const parts: string[] = [];
  const length = 1 + random.below(7);
  for (let k = 0; k < length; k++) {
    const roll = random.next();
    if (roll < 0.6) parts.push(random.pick(FIELD_TOKENS));
    else if (roll < 0.9 || extra.length === 0) parts.push(random.pick(FIELD_PUNCTUATION));
    else parts.push(random.pick(extra));
  }
  return parts.join('');
}

/** Small edits make near-equal pairs, where comparators actually disagree. */
function mutateField(random: SeededRandom, field: string, extra: readonly string[]): string {
  const alphabet = [...FIELD_TOKENS, ...FIELD_PUNCTUATION, ...extra];
  const at = random.below(field.length + 1);
  const roll = random.next();
  let result: string;
  if (roll < 0.4) result = field.slice(0, at) + random.pick(alphabet) + field.slice(at);
  else if (roll < 0.7) result = field.slice(0, at) + field.slice(at + 1);
  else result = field.slice(0, at) + random.pick(alphabet) + field.slice(at + 1);
  return result.length > 0 ? result : field;
}

interface Evr {
  epoch?: string;
  version: string;
  release?: string;
}

function randomEvr(random: SeededRandom): Evr {
  return {
    epoch: random.chance(0.25) ? random.pick(['0', '1', '2', '01', '10']) : undefined,
    version: randomField(random, []),
    release: random.chance(0.7) ? randomField(random, []) : undefined,
  };
}

function mutateEvr(random: SeededRandom, evr: Evr): Evr {
  const roll = random.next();
  if (roll < 0.1) return { ...evr, epoch: random.chance(0.5) ? undefined : random.pick(['0', '1', '01']) };
  if (roll < 0.2) return { ...evr, release: evr.release === undefined ? randomField(random, []) : undefined };
  if (roll < 0.6 || evr.release === undefined)
    return { ...evr, version: mutateField(random, evr.version, []) };
  return { ...evr, release: mutateField(random, evr.release, []) };
}

function formatEvr(evr: Evr): string {
  return `${evr.epoch === undefined ? '' : `${evr.epoch}:`}${evr.version}${evr.release === undefined ? '' : `-${evr.release}`}`;
}

function generateCases(): Case[] {
  const random = createSeededRandom(SEED);
  const cases: Case[] = [];
  for (let k = 0; k < GENERATED_PAIRS; k++) {
    const a = randomEvr(random);
    const b = random.chance(0.6) ? mutateEvr(random, a) : randomEvr(random);
    cases.push({ mode: 'e', a: formatEvr(a), b: formatEvr(b) });
  }
  for (let k = 0; k < GENERATED_PAIRS; k++) {
    const a = randomField(random, RAW_EXTRA);
    const b = random.chance(0.6) ? mutateField(random, a, RAW_EXTRA) : randomField(random, RAW_EXTRA);
    cases.push({ mode: 'f', a, b });
  }
  return cases;
}

function ours(testCase: Case): Comparison {
  return testCase.mode === 'e' ? compareRpm(testCase.a, testCase.b) : rpmvercmp(testCase.a, testCase.b);
}

async function askRpm(cases: readonly Case[]): Promise<Comparison[]> {
  const input = cases.map((c) => `${c.mode}\t${c.a}\t${c.b}\n`).join('');
  const output = await runWithInput('rpm', ['--eval', RPM_LUA], input);
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => Number(line) as Comparison);
}

const hasRpm = isCommandAvailable('rpm', ['--version']);
if (!hasRpm) console.warn('SKIPPED rpm differential tests: `rpm` is not on PATH (apt-get install rpm)');

describe.skipIf(!hasRpm)(
  hasRpm ? 'rpm differential' : 'rpm differential (SKIPPED: rpm not installed)',
  () => {
    it(`agrees with rpm 4.18 on ${GENERATED_PAIRS} generated labels and ${GENERATED_PAIRS} raw fields`, async () => {
      // Prepare
      const cases = generateCases();
      for (const c of cases.filter((c) => c.mode === 'e')) {
        expect(tryParseRpmEvr(c.a), `generated label ${c.a} parses`).toBeDefined();
      }

      // Act
      const started = performance.now();
      const answers = await askRpm(cases);
      const seconds = (performance.now() - started) / 1000;
      const tally = [-1, 0, 1].map((answer) => answers.filter((a) => a === answer).length).join('/');
      console.info(
        `rpm differential: ${cases.length} pairs (seed ${SEED}; <,=,> ${tally}) in ${seconds.toFixed(2)} s`,
      );

      // Assess
      expect(answers).toHaveLength(cases.length);
      const disagreements = cases
        .map((c, k) => ({ ...c, rpm: answers[k], ours: ours(c) }))
        .filter((row) => row.rpm !== row.ours);
      expect(disagreements.slice(0, 20)).toEqual([]);
      // The generator must reach every kind of answer, or it is not testing much.
      expect(new Set(answers)).toEqual(new Set([-1, 0, 1]));
    });

    it("agrees with rpm on rpm's table, including the rows it documents as oddities", async () => {
      const cases: Case[] = [...RPMVERCMP_ROWS, ...RPMVERCMP_ODDITY_ROWS].map(([a, b]) => ({
        mode: 'f',
        a,
        b,
      }));
      const answers = await askRpm(cases);
      const rows = [...RPMVERCMP_ROWS, ...RPMVERCMP_ODDITY_ROWS];
      expect(rows.map(([a, b], k) => [a, b, answers[k]])).toEqual(
        rows.map(([a, b, expected]) => [a, b, expected]),
      );
      expect(cases.map((c) => rpmvercmp(c.a, c.b))).toEqual(answers);
    });

    it('agrees with rpm on every label fixture row and ladder pair', async () => {
      const rows: [string, string, Comparison][] = [
        ...RPM_EVR_ROWS.map(([a, b, expected]): [string, string, Comparison] => [a, b, expected]),
        ...ladderPairs(RPM_EVR_LADDER),
      ];
      const answers = await askRpm(rows.map(([a, b]) => ({ mode: 'e', a, b })));
      expect(rows.map(([a, b], k) => [a, b, answers[k]])).toEqual(rows);
    });
  },
);
