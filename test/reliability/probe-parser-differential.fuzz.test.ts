import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ProbeBlock,
  ProbeBlockAssembler,
  parseProbeOutput,
} from '../../src/core/probe/parse-probe-output.ts';
import { loadProfiles } from '../../src/local/fleet/load-profiles.ts';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.ts';
import { OracleAssembler, oracleParseProbeOutput } from './parser-oracle.ts';
import { anyText, canonicalLikeText } from './probe-text-arbitraries.ts';

/**
 * The probe output is read two ways, which must agree on every input: the reference line parser
 * (the former implementation, a regex and a slice per line) and the index-based parser the product
 * uses.
 */

const RUNS = fuzzRuns(3000);
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
