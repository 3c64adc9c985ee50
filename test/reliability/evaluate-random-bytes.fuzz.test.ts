import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VERDICT_STATUSES } from '../../src/core/verdict.ts';
import { loadProfiles } from '../../src/local/fleet/load-profiles.ts';
import { runCli } from '../helpers/cli-harness.ts';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.ts';

/**
 * Random bytes into `evaluate` (one 200 KB buffer is test/cli/evaluate.test.ts): many inputs of
 * every shape, each format, in process and through the real command. Every run exits 0 with no
 * stack trace, and every line it prints is a verdict.
 */

const RUNS = fuzzRuns(2000);
const profiles = [...loadProfiles().values()].map((t) => Buffer.from(t));
const HEADER = Buffer.from('fleet-compliance-probe/1\n');

/** Random bytes, with probe headers and real outputs (whole or cut) spliced in at random places. */
const input = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: fc.constant(HEADER) },
      { weight: 1, arbitrary: fc.constant(Buffer.from('\nend\n')) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.nat({ max: profiles.length - 1 }), fc.nat())
          .map(([i, cut]) => profiles[i]!.subarray(0, cut % (profiles[i]!.length + 1))),
      },
    ),
    { maxLength: 8 },
  )
  .map((parts) => Buffer.concat(parts));

function expectVerdictLines(stdout: string): void {
  for (const line of stdout.split('\n').filter((l) => l !== '')) {
    const verdict = JSON.parse(line) as { node: unknown; status: string; findings: unknown[] };
    expect(VERDICT_STATUSES).toContain(verdict.status);
    expect(Array.isArray(verdict.findings)).toBe(true);
  }
}

describe('random bytes into evaluate', () => {
  it(
    `exit 0 with no stack trace and print only verdicts (${RUNS} inputs, every format)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(input, fc.constantFrom('jsonl', 'csv', 'table'), async (bytes, format) => {
          const r = await runCli(['evaluate', '--format', format], bytes);
          expect(r.code).toBe(0);
          expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
          if (format === 'jsonl') expectVerdictLines(r.stdout);
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeoutMs(2000, 10),
  );

  it('exit 0 from the real command too (process exit code, stderr)', () => {
    const bytes = fc.sample(input, { numRuns: 1, seed: 8 })[0]!;
    const noise = Buffer.concat([bytes, Buffer.from(fc.sample(fc.uint8Array({ minLength: 50_000, maxLength: 50_000 }), { numRuns: 1, seed: 9 })[0]!)]);
    const run = spawnSync(process.execPath, ['bin/fleet-compliance.js', 'evaluate'], {
      input: noise,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at |Error:/);
    expectVerdictLines(run.stdout);
  }, 60_000);
});
