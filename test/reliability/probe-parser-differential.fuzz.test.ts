import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { evaluateBlock } from '../../src/core/evaluation/evaluate-node.ts';
import { VerdictCache, verdictInputsOf } from '../../src/core/evaluation/verdict-cache.ts';
import { CanonicalReader } from '../../src/core/probe/canonical-output.ts';
import {
  type ProbeBlock,
  ProbeBlockAssembler,
  parseProbeOutput,
} from '../../src/core/probe/parse-probe-output.ts';
import { PROBE_KEYS } from '../../src/core/probe/probe-format.ts';
import { loadProfiles } from '../../src/local/fleet/load-profiles.ts';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.ts';
import { OracleAssembler, oracleParseProbeOutput } from './parser-oracle.ts';
import { anyText, canonicalLikeText } from './probe-text-arbitraries.ts';

/**
 * The probe output is read three ways, which must agree on every input: the reference line parser
 * (the former implementation, a regex and a slice per line), the index-based parser the product
 * uses, and the one-pass canonical reader in front of the verdict cache.
 */

const RUNS = fuzzRuns(3000);
const catalog = builtinCatalog();
const profiles = [...loadProfiles().values()];
const nearCanonical = canonicalLikeText(profiles);
const comparable = (blocks: readonly ProbeBlock[]) => blocks.map((b) => ({ ...b, values: [...b.values] }));

describe('the index-based parser against the reference parser', () => {
  it(
    `reads the same blocks from any text (${RUNS} raw, ${RUNS} near-canonical)`,
    () => {
      for (const texts of [anyText, nearCanonical]) {
        fc.assert(
          fc.property(texts, (text) => {
            expect(comparable(parseProbeOutput(text))).toEqual(comparable(oracleParseProbeOutput(text)));
          }),
          { numRuns: RUNS },
        );
      }
    },
    fuzzTimeoutMs(3000, 3),
  );

  it(
    `yields the same blocks line by line, terminated or not (${RUNS} cases)`,
    () => {
      fc.assert(
        fc.property(fc.oneof(anyText, nearCanonical), fc.boolean(), (text, lastUnterminated) => {
          const lines = text.split('\n');
          const ours = new ProbeBlockAssembler();
          const oracle = new OracleAssembler();
          lines.forEach((line, i) => {
            const unterminated = lastUnterminated && i === lines.length - 1;
            const a = unterminated ? ours.pushUnterminated(line) : ours.push(line);
            const b = unterminated ? oracle.pushUnterminated(line) : oracle.push(line);
            expect(comparable(a ? [a] : [])).toEqual(comparable(b ? [b] : []));
          });
          const a = ours.finish();
          const b = oracle.finish();
          expect(comparable(a ? [a] : [])).toEqual(comparable(b ? [b] : []));
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeoutMs(3000, 3),
  );
});

describe('the canonical reader against the parser', () => {
  // Runs as the verdict cache makes them, and every value captured (groups nested inside runs).
  const reader = new CanonicalReader({ runKeys: verdictInputsOf(catalog).valueKeys, valueKeys: PROBE_KEYS });
  const runKeys = new Set(verdictInputsOf(catalog).valueKeys);

  it('reads every recorded profile', () => {
    for (const text of profiles) expect(reader.read(text)).toBeDefined();
  });

  it(
    `accepts only text the parser reads as one clean complete block, with the same values (${RUNS} cases)`,
    () => {
      let accepted = 0;
      fc.assert(
        fc.property(nearCanonical, (text) => {
          const read = reader.read(text);
          if (read === undefined) return;
          accepted += 1;
          const blocks = parseProbeOutput(text);
          expect(blocks).toHaveLength(1);
          const [block] = blocks as [ProbeBlock];
          expect(block).toMatchObject({ format: 1, complete: true, garbageLines: 0, duplicateKeys: [] });
          expect([...block.values.keys()]).toEqual(PROBE_KEYS);
          for (const key of PROBE_KEYS) expect(read.values[key], key).toBe(block.values.get(key));
          // Each run is the text of its lines: read on its own it gives the same values.
          const inRuns = PROBE_KEYS.filter((key) => runKeys.has(key));
          const fromRuns = parseProbeOutput(`fleet-compliance-probe/1\n${read.runs.join('')}end\n`)[0];
          expect([...(fromRuns?.values ?? [])]).toEqual(inRuns.map((key) => [key, block.values.get(key)]));
        }),
        { numRuns: RUNS },
      );
      // Both sides of the shape were exercised.
      expect(accepted).toBeGreaterThan(RUNS / 5);
      expect(accepted).toBeLessThan(RUNS);
      // Raw text is not canonical (a few thousand random code units never are).
      fc.assert(
        fc.property(anyText, (text) => reader.read(text) === undefined),
        { numRuns: RUNS },
      );
    },
    fuzzTimeoutMs(3000, 3),
  );

  it(
    `judges through the cache as evaluateBlock does, hits included (${RUNS} cases)`,
    () => {
      const cache = new VerdictCache(catalog);
      fc.assert(
        fc.property(
          fc.oneof({ weight: 4, arbitrary: nearCanonical }, anyText),
          fc.constantFrom('i-1', 'i-2', undefined),
          (text, id) => {
            const block = parseProbeOutput(text)[0];
            const judged = cache.evaluateOutput(text, id);
            if (block === undefined) expect(judged).toBeUndefined();
            else
              expect(judged).toStrictEqual({
                verdict: evaluateBlock(block, catalog, id),
                complete: block.complete,
              });
          },
        ),
        { numRuns: RUNS },
      );
      expect(cache.stats().canonical).toBeGreaterThan(RUNS / 5);
      expect(cache.stats().hits).toBeGreaterThan(0);
    },
    fuzzTimeoutMs(3000, 5),
  );
});
