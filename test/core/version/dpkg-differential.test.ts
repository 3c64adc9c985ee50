import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/core/version/comparison.ts';
import { checkDpkgVersion, compareDpkg } from '../../../src/core/version/dpkg.ts';
import { DPKG_COMPARISON_ROWS, DPKG_LADDER } from '../../fixtures/version/dpkg.ts';
import { isCommandAvailable, runWithInput } from './external-tool.ts';
import { createSeededRandom, type SeededRandom } from './seeded-random.ts';

/**
 * Differential test against `dpkg --compare-versions`. dpkg compares one pair per process, so each
 * pair costs one exec: we ask dpkg to confirm our own answer (lt, eq or gt, each true for exactly
 * one outcome), and feed the pairs to a few `sh` loops in parallel. Only on disagreement do we ask
 * dpkg all three questions, to report its answer.
 */
const SEED = 1_564_012;
const GENERATED_PAIRS = 2_000;
/** Measured on a 2-vCPU runner: two loops in parallel were slower than one (exec contention). */
const SHARDS = Math.max(1, Math.min(4, availableParallelism() - 2));
const OPERATOR: Record<Comparison, string> = { [-1]: 'lt', 0: 'eq', 1: 'gt' };

// `read` splits on blanks, so every version handed to the loop must be free of them.
const CONFIRM_LOOP = `
while read -r a op b; do
  dpkg --compare-versions "$a" "$op" "$b" 2>/dev/null
  echo $?
done
`;

const DIGITS = ['0', '1', '2', '9', '10', '007', '99999999999999999999'];
const LETTERS = ['a', 'b', 'z', 'A', 'Z', 'rc', 'deb', 'ubuntu', 'ds', 'dfsg', 'bpo'];
const UPSTREAM_PUNCTUATION = ['.', '.', '+', '~', '~~'];
const REVISION_PUNCTUATION = ['.', '+', '~'];

function randomPart(random: SeededRandom, punctuation: readonly string[], length: number): string {
  const parts: string[] = [];
  for (let k = 0; k < length; k++) {
    const roll = random.next();
    parts.push(random.pick(roll < 0.45 ? DIGITS : roll < 0.75 ? LETTERS : punctuation));
  }
  return parts.join('');
}

interface DebianVersion {
  epoch?: string;
  upstream: string;
  revision?: string;
}

function randomUpstream(random: SeededRandom, hasEpoch: boolean, hasRevision: boolean): string {
  // Mostly a leading digit, as Policy requires; sometimes a letter, which dpkg only warns about.
  const first = random.chance(0.95) ? random.pick(DIGITS) : random.pick(LETTERS);
  const extra = [...UPSTREAM_PUNCTUATION, ...(hasRevision ? ['-'] : []), ...(hasEpoch ? [':'] : [])];
  return first + randomPart(random, extra, random.below(6));
}

function randomVersion(random: SeededRandom): DebianVersion {
  const epoch = random.chance(0.2) ? random.pick(['0', '1', '2', '01', '10', '00']) : undefined;
  const revision = random.chance(0.7)
    ? randomPart(random, REVISION_PUNCTUATION, 1 + random.below(4))
    : undefined;
  return { epoch, upstream: randomUpstream(random, epoch !== undefined, revision !== undefined), revision };
}

/** A near copy of `version`: one part replaced or extended, so pairs often tie for a while. */
function nearVersion(random: SeededRandom, version: DebianVersion): DebianVersion {
  const roll = random.next();
  if (roll < 0.15) {
    // Without an epoch a ':' in the upstream version would be read as one.
    return random.chance(0.5)
      ? { ...version, epoch: undefined, upstream: version.upstream.replaceAll(':', '.') }
      : { ...version, epoch: random.pick(['0', '1']) };
  }
  if (roll < 0.45 && version.revision !== undefined) {
    return { ...version, revision: version.revision + randomPart(random, REVISION_PUNCTUATION, 1) };
  }
  if (roll < 0.6) {
    return { ...version, revision: randomPart(random, REVISION_PUNCTUATION, 1 + random.below(3)) };
  }
  const tail = randomPart(random, UPSTREAM_PUNCTUATION, 1);
  return random.chance(0.5)
    ? { ...version, upstream: version.upstream + tail }
    : { ...version, upstream: version.upstream.slice(0, Math.max(1, version.upstream.length - 1)) + tail };
}

function formatVersion(version: DebianVersion): string {
  const epoch = version.epoch === undefined ? '' : `${version.epoch}:`;
  const revision = version.revision === undefined ? '' : `-${version.revision}`;
  return `${epoch}${version.upstream}${revision}`;
}

function generatePairs(): [string, string][] {
  const random = createSeededRandom(SEED);
  const pairs: [string, string][] = [];
  for (let k = 0; k < GENERATED_PAIRS; k++) {
    const a = randomVersion(random);
    const b = random.chance(0.6) ? nearVersion(random, a) : randomVersion(random);
    // Near copies tend to be newer: swap half the pairs so both directions get exercised.
    pairs.push(
      random.chance(0.5) ? [formatVersion(a), formatVersion(b)] : [formatVersion(b), formatVersion(a)],
    );
  }
  return pairs;
}

/** For each [a, op, b], whether `dpkg --compare-versions a op b` holds (exit 0). */
async function askDpkg(questions: readonly (readonly [string, string, string])[]): Promise<boolean[]> {
  const shards = SHARDS;
  const size = Math.ceil(questions.length / shards);
  const outputs = await Promise.all(
    Array.from({ length: shards }, (_, s) => {
      const lines = questions.slice(s * size, (s + 1) * size).map((q) => `${q.join(' ')}\n`);
      return runWithInput('sh', ['-c', CONFIRM_LOOP], lines.join(''));
    }),
  );
  const statuses = outputs.flatMap((output) => output.split('\n').filter((line) => line !== ''));
  if (statuses.some((status) => status !== '0' && status !== '1')) {
    throw new Error(`dpkg rejected a version (exit statuses: ${[...new Set(statuses)].join(', ')})`);
  }
  return statuses.map((status) => status === '0');
}

/** Pairs where dpkg does not confirm our answer, with dpkg's own answer. */
async function findDisagreements(pairs: readonly (readonly [string, string])[]) {
  const ourAnswers = pairs.map(([a, b]) => compareDpkg(a, b));
  const confirmed = await askDpkg(pairs.map(([a, b], k) => [a, OPERATOR[ourAnswers[k]!], b] as const));
  const disputed = pairs.filter((_, k) => !confirmed[k]);
  const dpkgAnswers = await askDpkg(
    disputed.flatMap(([a, b]) => [[a, 'lt', b] as const, [a, 'gt', b] as const]),
  );
  return disputed.map(([a, b], k) => ({
    a,
    b,
    ours: compareDpkg(a, b),
    dpkg: dpkgAnswers[2 * k] ? -1 : dpkgAnswers[2 * k + 1] ? 1 : 0,
  }));
}

const hasDpkg = isCommandAvailable('dpkg', ['--version']);
if (!hasDpkg)
  console.warn('SKIPPED dpkg differential tests: `dpkg` is not on PATH (run on Debian or Ubuntu)');

describe.skipIf(!hasDpkg)(
  hasDpkg ? 'dpkg differential' : 'dpkg differential (SKIPPED: dpkg not installed)',
  () => {
    // dpkg costs one exec per pair (3 to 15 ms here, depending on machine load): allow for a busy runner.
    it(`agrees with dpkg --compare-versions on ${GENERATED_PAIRS} generated pairs`, {
      timeout: 120_000,
    }, async () => {
      // Prepare
      const pairs = generatePairs();
      const answers = pairs.map(([a, b]) => compareDpkg(a, b));
      const warned = pairs.flat().filter((v) => checkDpkgVersion(v) !== undefined);

      // Act
      const started = performance.now();
      const disagreements = await findDisagreements(pairs);
      const seconds = (performance.now() - started) / 1000;
      const tally = [-1, 0, 1].map((answer) => answers.filter((a) => a === answer).length).join('/');
      console.info(
        `dpkg differential: ${pairs.length} pairs (seed ${SEED}; <,=,> ${tally}) in ${seconds.toFixed(2)} s`,
      );

      // Assess
      expect(disagreements).toEqual([]);
      expect(new Set(answers)).toEqual(new Set([-1, 0, 1]));
      // Some generated versions start with a letter: dpkg warns but compares, and so must we.
      expect(warned.length).toBeGreaterThan(0);
      expect(warned.every((v) => checkDpkgVersion(v)?.severity === 'warning')).toBe(true);
    });

    // Adjacent rungs suffice here: dpkg's order is transitive, and dpkg.test.ts checks every pair against our comparator.
    it('agrees with dpkg on every fixture row and every adjacent pair of the ladder', {
      timeout: 60_000,
    }, async () => {
      const rows = [
        ...DPKG_COMPARISON_ROWS.map(([a, b]): [string, string] => [a.trim(), b.trim()]),
        ...DPKG_LADDER.slice(1).map((rung, k): [string, string] => [DPKG_LADDER[k]!, rung]),
      ];
      expect(await findDisagreements(rows)).toEqual([]);
    });
  },
);
