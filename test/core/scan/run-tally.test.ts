import { describe, expect, it } from 'vitest';
import { addAllToTally, addToTally, emptyTally, mergeTallies } from '../../../src/core/scan/run-tally.ts';
import type { Finding, Verdict } from '../../../src/core/verdict.ts';

function finding(id: string, severity: Finding['severity'], hang = false): Finding {
  return {
    id,
    title: id,
    severity,
    hangInProgress: hang,
    evidence: [],
    remediation: '',
    actions: ['upgrade'],
    rebootRequired: false,
    reexecRequired: false,
    confidence: 'upstream-only',
    references: [],
  };
}

function verdict(status: Verdict['status'], findings: Finding[] = []): Verdict {
  return { node: 'n', status, findings, pending: [], reasons: [], facts: {} };
}

describe('run tally', () => {
  it('counts each node once by status, worst severity, advisory and hang', () => {
    let t = emptyTally();
    t = addToTally(t, verdict('AT_RISK', [finding('A', 'high'), finding('B', 'critical', true)]));
    t = addToTally(t, verdict('COMPLIANT'));
    t = addToTally(t, verdict('UNREACHABLE'), 'Undeliverable');
    expect(t.nodes).toBe(3);
    expect(t.byStatus).toEqual({ AT_RISK: 1, PENDING_REBOOT: 0, COMPLIANT: 1, UNKNOWN: 0, UNREACHABLE: 1 });
    expect(t.bySeverity).toEqual({ low: 0, medium: 0, high: 0, critical: 1 });
    expect(t.byAdvisory).toEqual({ A: 1, B: 1 });
    expect(t.hangs).toBe(1);
    expect(t.bySsmStatus).toEqual({ Undeliverable: 1 });
  });

  it('does not change its input', () => {
    const t = emptyTally();
    addToTally(t, verdict('COMPLIANT'));
    expect(t.nodes).toBe(0);
  });

  it('merges tallies of separate pages into the same totals as one pass', () => {
    const all = [verdict('AT_RISK', [finding('A', 'high')]), verdict('COMPLIANT'), verdict('UNKNOWN')];
    const one = addAllToTally(emptyTally(), all.map((v) => ({ verdict: v })), 2);
    const merged = mergeTallies(
      addAllToTally(emptyTally(), [{ verdict: all[0]! }], 1),
      addAllToTally(emptyTally(), all.slice(1).map((v) => ({ verdict: v })), 1),
    );
    expect(merged).toEqual(one);
    expect(JSON.parse(JSON.stringify(merged))).toEqual(merged);
  });
});
