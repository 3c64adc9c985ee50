import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/core/version/comparison.ts';
import {
  checkDpkgVersion,
  compareDpkg,
  compareDpkgVersion,
  parseDpkgVersion,
} from '../../../src/core/version/dpkg.ts';
import { DPKG_COMPARISON_ROWS, DPKG_LADDER } from '../../fixtures/version/dpkg.ts';
import { isCommandAvailable, runWithInput } from './external-tool.ts';
import { createSeededRandom, type SeededRandom } from './seeded-random.ts';

/**
 * Differential test against `dpkg --compare-versions`, which compares one pair per process: each
 * answer costs an exec (3 to 9 ms measured on a shared 2-vCPU runner). To get the most from each exec we
 * sort the generated versions with our comparator and ask dpkg about each adjacent step of that
 * order: neighbours in a sorted list are the near-equal pairs where comparators differ. dpkg's order
 * is a total preorder (epoch, then verrevcmp: lexicographic over runs), so its answers on the N-1
 * steps fix its answer on all N(N-1)/2 pairs, and we check ours on every one of those pairs too.
 * Each question asks dpkg to confirm our answer (lt, eq or gt, each true for exactly one outcome);
 * only on disagreement do we ask again, to report dpkg's own answer.
 */
const SEED = 1_564_012;
/** 2,001 versions: 2,000 adjacent pairs answered by dpkg directly, about 2 million by transitivity. */
const GENERATED_VERSIONS = 2_001;
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

/** Clusters of near copies, so the sorted order is full of near-equal neighbours. */
function generateVersions(): string[] {
  const random = createSeededRandom(SEED);
  const versions: string[] = [];
  while (versions.length < GENERATED_VERSIONS) {
    let version = randomVersion(random);
    versions.push(formatVersion(version));
    while (versions.length < GENERATED_VERSIONS && random.chance(0.6)) {
      version = nearVersion(random, version);
      versions.push(formatVersion(version));
    }
  }
  return versions;
}

interface Chain {
  /** The generated versions sorted by our comparator. */
  readonly sorted: readonly string[];
  /** rank[i] < rank[j] when sorted[i] is older than sorted[j]; equal ranks for equal versions. */
  readonly ranks: readonly number[];
}

function sortByOurOrder(versions: readonly string[]): Chain {
  const sorted = [...versions].sort(compareDpkg);
  const ranks: number[] = [];
  sorted.forEach((version, k) => {
    ranks.push(k === 0 ? 0 : ranks[k - 1]! + (compareDpkg(sorted[k - 1]!, version) === 0 ? 0 : 1));
  });
  return { sorted, ranks };
}

/** For each [a, op, b], whether `dpkg --compare-versions a op b` holds (exit 0). */
async function askDpkg(questions: readonly (readonly [string, string, string])[]): Promise<boolean[]> {
  const size = Math.ceil(questions.length / SHARDS);
  const outputs = await Promise.all(
    Array.from({ length: SHARDS }, (_, s) => {
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
    const versions = generateVersions();
    const chain = sortByOurOrder(versions);

    it(`orders ${GENERATED_VERSIONS} generated versions consistently (every pair agrees with the sorted order)`, () => {
      const parsed = chain.sorted.map(parseDpkgVersion);
      const inconsistent: string[] = [];
      for (let i = 0; i < parsed.length; i++) {
        for (let j = i + 1; j < parsed.length; j++) {
          const expected = chain.ranks[i]! < chain.ranks[j]! ? -1 : 0;
          if (compareDpkgVersion(parsed[i]!, parsed[j]!) !== expected && inconsistent.length < 20) {
            inconsistent.push(`${chain.sorted[i]} vs ${chain.sorted[j]}`);
          }
        }
      }
      expect(inconsistent).toEqual([]);
      // Versions dpkg only warns about (no leading digit) are in the mix, as dpkg compares them too.
      expect(versions.some((v) => checkDpkgVersion(v)?.severity === 'warning')).toBe(true);
      expect(new Set(chain.ranks).size).toBeLessThan(versions.length);
    });

    // Generous timeout: one exec per pair on a busy runner.
    it(`agrees with dpkg --compare-versions on the ${GENERATED_VERSIONS - 1} steps of that order`, {
      timeout: 120_000,
    }, async () => {
      // Prepare
      const steps = chain.sorted.slice(1).map((version, k): [string, string] => [chain.sorted[k]!, version]);

      // Act
      const started = performance.now();
      const disagreements = await findDisagreements(steps);
      const seconds = (performance.now() - started) / 1000;
      const equalSteps = steps.filter(([a, b]) => compareDpkg(a, b) === 0).length;
      console.info(
        `dpkg differential: ${steps.length} adjacent pairs of ${versions.length} versions (seed ${SEED}; ` +
          `${equalSteps} equal) in ${seconds.toFixed(2)} s, fixing ${(versions.length * (versions.length - 1)) / 2} pairs`,
      );

      // Assess
      expect(disagreements).toEqual([]);
    });

    // Adjacent rungs suffice here too: dpkg.test.ts checks every ladder pair against our comparator.
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
