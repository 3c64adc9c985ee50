import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../src/core/render/csv.ts';
import { verdictCsvHeader, verdictCsvRow } from '../../src/core/render/verdict-formats.ts';
import { buildReport } from '../../src/core/report/build-report.ts';
import { renderReportCsv } from '../../src/core/report/render-report-csv.ts';
import { escapeHtml } from '../../src/core/report/html/safe-html.ts';
import { renderReportHtml } from '../../src/core/report/render-report-html.ts';
import type { Verdict } from '../../src/core/verdict.ts';
import { parseCsv } from '../core/report/csv-parse.ts';
import { countStatuses, nodeState, scanRun } from '../core/report/report-fixtures.ts';
import { fuzzRuns, fuzzTimeoutMs } from '../reliability/fuzz-runs.ts';

/**
 * Report escaping under fuzzing (the fixed attack list is test/core/report/report-escaping.test.ts):
 * any text a node can put in a value, in every format. A CSV cell never starts a formula and reads
 * back as the value (apostrophe aside); HTML holds node text only as inert text.
 */

const RUNS = fuzzRuns(2000);
const FORMULA_START = /^[=+\-@\t\r]/;
/** Node text: anything, weighted towards the characters injections are made of. */
const nodeText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', "'", ',', ';', '<', '>', '&', '/', ' ', 'a', '1', '\u202e', '\u0000', '`', '{', '}'), maxLength: 30 }),
);

/** Text between two markers that occur nowhere else, so a node's text can be found in a page. */
const MARK = 'QZXJ';

describe('report escaping under fuzzing', () => {
  it(`keeps every CSV cell a value, never a formula (${RUNS} rows)`, () => {
    fc.assert(
      fc.property(fc.array(nodeText, { minLength: 1, maxLength: 6 }), (values) => {
        const rows = parseCsv(csvRow(values));
        expect(rows).toHaveLength(1);
        expect(rows[0]).toHaveLength(values.length);
        rows[0]!.forEach((cell, i) => {
          const value = values[i]!;
          expect(cell).not.toMatch(FORMULA_START);
          expect(cell).toBe(FORMULA_START.test(value) ? `'${value}` : value);
        });
      }),
      { numRuns: RUNS },
    );
  }, fuzzTimeoutMs(2000, 1));

  it(`escapes every HTML-significant character and reads back as the text (${RUNS} strings)`, () => {
    const decode = (s: string) =>
      s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
    fc.assert(
      fc.property(nodeText, (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"'\u0000\u202a-\u202e\u2066-\u2069]/);
        expect(escaped.replace(/&(lt|gt|quot|#39|amp);/g, '')).not.toContain('&');
        const expected = text.replace(/\u0000/g, '\ufffd').replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
        expect(decode(escaped)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  }, fuzzTimeoutMs(2000, 1));

  it(`writes the CLI's verdict CSV with no formula cell whatever a node reports (${RUNS} verdicts)`, () => {
    fc.assert(
      fc.property(nodeText, nodeText, nodeText, (node, os, systemd) => {
        const verdict: Verdict = { node, hostname: node, status: 'UNKNOWN', findings: [], pending: [], reasons: [os], facts: { os, systemd } };
        const rows = parseCsv(verdictCsvHeader() + verdictCsvRow(verdict));
        expect(rows).toHaveLength(2);
        for (const cell of rows[1]!) expect(cell).not.toMatch(FORMULA_START);
      }),
      { numRuns: RUNS },
    );
  }, fuzzTimeoutMs(2000, 1));

  it(`keeps node text inert in the HTML and CSV reports (${Math.ceil(RUNS / 20)} reports)`, () => {
    const T = '2025-03-02T00:00:00.000Z';
    fc.assert(
      fc.property(fc.array(fc.tuple(nodeText, nodeText, nodeText), { minLength: 1, maxLength: 4 }), (nodes) => {
        const states = nodes.map(([hostname, os, cluster], i) =>
          nodeState({
            node: `n-${i}`,
            runId: 'r1',
            at: T,
            hostname: `${MARK}${hostname}${MARK}`,
            findings: i % 2 === 0 ? [['RUNC-CVE-2024-21626', 'high']] : [],
            facts: { os: `${MARK}${os}${MARK}` },
            tags: { cluster: `${MARK}${cluster}${MARK}` },
          }),
        );
        const report = buildReport({
          runs: [scanRun('r1', T, 'COMPLETE', { byStatus: countStatuses(states) })],
          histories: states.map((s) => [s]),
          now: new Date('2025-03-02T12:00:00.000Z'),
          title: 'fuzz',
        });
        const page = renderReportHtml(report);
        let shown = 0;
        for (const m of page.matchAll(new RegExp(`${MARK}([\\s\\S]*?)${MARK}`, 'g'))) {
          shown += 1;
          expect(m[1], 'node text in the page').not.toMatch(/[<>"'\u0000]/);
        }
        expect(shown).toBeGreaterThan(0);
        for (const row of parseCsv(renderReportCsv(report))) for (const cell of row) expect(cell).not.toMatch(FORMULA_START);
      }),
      { numRuns: Math.ceil(RUNS / 20) },
    );
  }, fuzzTimeoutMs(2000, 20));

  it('prefixes exactly the cells a spreadsheet would evaluate', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('1+1')).toBe('1+1');
  });
});
