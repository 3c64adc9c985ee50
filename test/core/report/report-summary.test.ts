import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/core/report/build-report.ts';
import type { ReportTotals } from '../../../src/core/report/compliance-report.ts';
import { countOf, formatCount, formatPercent } from '../../../src/core/report/format-count.ts';
import {
  MAX_SUBJECT_CHARS,
  reportMessage,
  reportSubject,
  summarizeTotals,
} from '../../../src/core/report/report-summary.ts';
import { emptySeverityCounts, emptyStatusCounts } from '../../../src/core/store/scan-run.ts';
import type { VerdictStatus } from '../../../src/core/verdict.ts';
import { nodeState, scanRun } from './report-fixtures.ts';

function totals(byStatus: Partial<Record<VerdictStatus, number>>, hangs = 0): ReportTotals {
  const counts = { ...emptyStatusCounts(), ...byStatus };
  return {
    nodes: Object.values(counts).reduce((a, b) => a + b, 0),
    byStatus: counts,
    hangs,
    pendingReexec: 0,
    pendingReboot: 0,
    bySeverity: emptySeverityCounts(),
    notInLatestScan: 0,
  };
}

describe('formatCount', () => {
  it.for([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [3000, '3,000'],
    [1234567, '1,234,567'],
    [-4200, '-4,200'],
  ] as const)('writes %d as %s', ([value, text]) => {
    expect(formatCount(value)).toBe(text);
  });

  it('pluralises and shares', () => {
    expect(countOf(1, 'node')).toBe('1 node');
    expect(countOf(3000, 'node')).toBe('3,000 nodes');
    expect(formatPercent(312, 3000)).toBe('10.4%');
    expect(formatPercent(1, 3)).toBe('33.3%');
    expect(formatPercent(3, 3)).toBe('100%');
    expect(formatPercent(0, 0)).toBe('0%');
  });
});

describe('summarizeTotals', () => {
  it('reads like the brief: at risk, then hangs', () => {
    expect(summarizeTotals(totals({ AT_RISK: 312, COMPLIANT: 2688 }, 41))).toBe(
      '312 of 3,000 nodes are at risk; 41 show a hang in progress.',
    );
  });

  it('names pending and unchecked nodes, and never calls them compliant', () => {
    expect(
      summarizeTotals(
        totals({ AT_RISK: 1, PENDING_REBOOT: 2, UNKNOWN: 3, UNREACHABLE: 4, COMPLIANT: 90 }, 1),
      ),
    ).toBe(
      '1 of 100 nodes is at risk; 1 shows a hang in progress; 2 wait for a re-exec or reboot to finish a fix; 7 could not be checked (4 unreachable, 3 unknown).',
    );
    expect(summarizeTotals(totals({ UNKNOWN: 1, COMPLIANT: 9 }))).toBe(
      'None of the 10 nodes is at risk; 1 could not be checked (1 unknown).',
    );
  });

  it('says so when everything is compliant, or nothing was judged', () => {
    expect(summarizeTotals(totals({ COMPLIANT: 3000 }))).toBe('All 3,000 nodes are compliant.');
    expect(summarizeTotals(totals({}))).toBe('The latest scan judged no node.');
  });
});

describe('reportSubject and reportMessage', () => {
  const report = buildReport({
    runs: [
      scanRun('run-1', '2025-03-01T06:00:00.000Z', 'COMPLETE', { byStatus: { AT_RISK: 1, COMPLIANT: 1 } }),
    ],
    histories: [
      [
        nodeState({
          node: '=HYPERLINK("x")',
          runId: 'run-1',
          at: '2025-03-01T06:01:00.000Z',
          findings: [['RUNC-CVE-2024-21626', 'high', true]],
        }),
      ],
      [nodeState({ node: 'b', runId: 'run-1', at: '2025-03-01T06:01:00.000Z' })],
    ],
    now: new Date('2025-03-01T07:00:00.000Z'),
  });

  it('keeps the subject to SNS limits: ASCII, one line, at most 100 characters', () => {
    const subject = reportSubject(report);

    expect(subject).toBe('Fleet compliance: 1 of 2 nodes at risk, 1 hang (scan 2025-03-01)');
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('stays under 100 characters for the largest fleets', () => {
    const huge = {
      ...report,
      totals: {
        ...report.totals,
        nodes: 9_999_999_999,
        hangs: 9_999_999_999,
        byStatus: { ...report.totals.byStatus, AT_RISK: 9_999_999_999, PENDING_REBOOT: 9_999_999_999 },
      },
    };
    expect(reportSubject(huge).length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
  });

  it('writes counts and locations in the message, not node-supplied text', () => {
    const message = reportMessage(report, ['s3://bucket/reports/latest/report.html']);

    expect(message).toContain(report.summary);
    expect(message).toContain('RUNC-CVE-2024-21626 (high): 1 node');
    expect(message).toContain('s3://bucket/reports/latest/report.html');
    expect(message).not.toContain('HYPERLINK');
  });
});
