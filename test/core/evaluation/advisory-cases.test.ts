import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../src/core/advisory/builtin-catalog.ts';
import { selectAdvisories } from '../../../src/core/advisory/catalog.ts';
import { evaluateBlock } from '../../../src/core/evaluation/evaluate-node.ts';
import { parseProbeOutput } from '../../../src/core/probe/parse-probe-output.ts';
import { ADVISORY_CASES, type Expected } from '../../fixtures/advisory-cases.ts';
import { probeText } from '../../helpers/probe-text.ts';

const STATUS: Record<Expected, string> = {
  affected: 'AT_RISK',
  'not-affected': 'COMPLIANT',
  pending: 'PENDING_REBOOT',
  undecided: 'UNKNOWN',
};

describe('built-in advisories, one at a time', () => {
  it.for(ADVISORY_CASES)('%s [%s]', ([, id, base, overrides, expected, confidence]) => {
    const catalog = selectAdvisories(builtinCatalog(), [id]);
    const [block] = parseProbeOutput(probeText(overrides, { base }));
    const verdict = evaluateBlock(block!, catalog);
    expect(verdict.status, JSON.stringify(verdict.findings.map((f) => f.evidence))).toBe(STATUS[expected]);
    if (expected === 'affected') {
      expect(verdict.findings.map((f) => f.id)).toEqual([id]);
      if (confidence) expect(verdict.findings[0]?.confidence).toBe(confidence);
      expect(verdict.findings[0]?.evidence.length).toBeGreaterThan(0);
    }
    if (expected === 'pending') expect(verdict.pending.map((p) => p.id)).toEqual([id]);
  });

  it('covers every built-in advisory with an affected and a not-affected case', () => {
    for (const advisory of builtinCatalog().advisories) {
      const outcomes = new Set(ADVISORY_CASES.filter((c) => c[1] === advisory.id).map((c) => c[4]));
      expect([advisory.id, outcomes.has('affected'), outcomes.has('not-affected')]).toEqual([advisory.id, true, true]);
    }
  });
});
