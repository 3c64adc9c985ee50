import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBoundedLineRecords } from '../../src/cli/read-lines.ts';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { evaluateBlock } from '../../src/core/evaluation/evaluate-node.ts';
import {
  type ProbeBlock,
  ProbeBlockAssembler,
  parseProbeOutput,
} from '../../src/core/probe/parse-probe-output.ts';
import {
  KEY_PATTERN,
  MAX_KEYS_PER_BLOCK,
  MAX_VALUE_LENGTH,
  PROBE_KEYS,
} from '../../src/core/probe/probe-format.ts';
import { VERDICT_STATUSES } from '../../src/core/verdict.ts';
import { loadProfiles } from '../../src/local/fleet/load-profiles.ts';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.ts';
import { anyText, anyValue, probeLikeText } from './probe-text-arbitraries.ts';

/**
 * Node output is untrusted input (DESIGN §5): the parser and the evaluator must take anything a
 * node, a broken agent or a cut listing can produce without throwing, and keep their bounds.
 */

const catalog = builtinCatalog();
const catalogIds = new Set(catalog.advisories.map((a) => a.id));
const profiles = [...loadProfiles()];
const RUNS = fuzzRuns(3000);

function expectBlockWithinBounds(block: ProbeBlock): void {
  expect(Number.isInteger(block.format)).toBe(true);
  expect(block.values.size).toBeLessThanOrEqual(MAX_KEYS_PER_BLOCK);
  expect(block.duplicateKeys.length).toBeLessThanOrEqual(16);
  for (const [key, value] of block.values) {
    expect(key).toMatch(KEY_PATTERN);
    expect(value.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH);
    expect(value).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  }
}

function expectSaneVerdict(block: ProbeBlock): void {
  const verdict = evaluateBlock(block, catalog, 'i-0fuzz');
  expect(VERDICT_STATUSES).toContain(verdict.status);
  expect(verdict.node).toBe('i-0fuzz');
  for (const finding of verdict.findings) expect(catalogIds.has(finding.id)).toBe(true);
  if (!block.complete) expect(verdict.status).not.toBe('COMPLIANT');
  if (verdict.status === 'AT_RISK') expect(verdict.findings.length).toBeGreaterThan(0);
  if (verdict.status === 'COMPLIANT') expect(verdict.findings).toEqual([]);
}

/** What the CLI does: bounded lines from a stream cut into arbitrary chunks, fed to the assembler. */
async function parseStreamed(bytes: Buffer, cuts: readonly number[]): Promise<ProbeBlock[]> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  const assembler = new ProbeBlockAssembler();
  const blocks: ProbeBlock[] = [];
  for await (const line of readBoundedLineRecords(Readable.from(chunks))) {
    const block = line.terminated ? assembler.push(line.text) : assembler.pushUnterminated(line.text);
    if (block) blocks.push(block);
  }
  const last = assembler.finish();
  if (last) blocks.push(last);
  return blocks;
}

const comparable = (blocks: readonly ProbeBlock[]) =>
  blocks.map((b) => ({ ...b, values: [...b.values] }));

describe('probe parser and evaluator under fuzzing', () => {
  it(
    `never throw and keep every bound on ${RUNS} probe-shaped and raw inputs`,
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          for (const block of parseProbeOutput(text)) {
            expectBlockWithinBounds(block);
            expectSaneVerdict(block);
          }
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeoutMs(3000, 2),
  );

  it(
    `read the same blocks from a stream cut into any chunks as from whole text (${Math.ceil(RUNS / 5)} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(probeLikeText, fc.array(fc.nat(), { maxLength: 12 }), async (text, cuts) => {
          const bytes = Buffer.from(text, 'utf8');
          const whole = parseProbeOutput(bytes.toString('utf8'));
          expect(comparable(await parseStreamed(bytes, cuts))).toEqual(comparable(whole));
        }),
        { numRuns: Math.ceil(RUNS / 5) },
      );
    },
    fuzzTimeoutMs(3000, 2),
  );

  it(
    `judge a recorded profile with any value in any key without throwing (${RUNS} cases)`,
    () => {
      const lines = profiles.map(([, text]) => text.trimEnd().split('\n'));
      fc.assert(
        fc.property(
          fc.nat({ max: lines.length - 1 }),
          // One line per value, as the format has it: a node cannot put a newline inside a value.
          fc.array(fc.tuple(fc.constantFrom<string>(...PROBE_KEYS), anyValue.map((v) => v.replace(/\n/g, ' '))), {
            minLength: 1,
            maxLength: 8,
          }),
          fc.boolean(),
          (which, replacements, keepEnd) => {
            const replaced = new Map(replacements);
            const out = (lines[which] ?? []).map((line) => {
              const key = line.slice(0, line.indexOf('='));
              const value = replaced.get(key);
              return value === undefined ? line : `${key}=${value}`;
            });
            const text = `${(keepEnd ? out : out.slice(0, -1)).join('\n')}\n`;
            const [block] = parseProbeOutput(text);
            expect(block).toBeDefined();
            expect(block?.complete).toBe(keepEnd);
            expectSaneVerdict(block!);
          },
        ),
        { numRuns: RUNS },
      );
    },
    fuzzTimeoutMs(3000, 2),
  );
});
