import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/core/report/build-report.ts';
import { REPORT_CSP, renderReportHtml } from '../../../src/core/report/render-report-html.ts';
import { renderReportFiles } from '../../../src/core/report/render-report-files.ts';
import { generateFleet } from './generated-fleet.ts';
import { nodeState, scanRun } from './report-fixtures.ts';

const fleet = generateFleet({ nodes: 300, scans: 6 });
const report = buildReport({ runs: fleet.runs, histories: fleet.histories, now: fleet.now });

const rowsOf = (page: string, sectionId: string) => {
  const start = page.indexOf(`<section id="${sectionId}">`);
  const section = page.slice(start, page.indexOf('</section>', start));
  return (section.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0].match(/<tr>/g) ?? []).length;
};

describe('renderReportHtml', () => {
  const page = renderReportHtml(report);

  it('is one self-contained document with a strict Content-Security-Policy', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(REPORT_CSP).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data:/);
    expect(page).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(page.toLowerCase()).not.toContain('<script');
    expect(page).not.toContain('<link');
  });

  it('has a section with a heading for each part of the report', () => {
    for (const [id, heading] of [
      ['summary', 'Summary'],
      ['changes', 'Changes since the previous scan'],
      ['trend', 'Trend'],
      ['advisories', 'At-risk nodes by advisory'],
      ['hangs', 'Hangs in progress'],
      ['pending', 'Pending re-exec or reboot'],
      ['by-cluster', 'By cluster'],
      ['by-os', 'By operating system'],
      ['coverage', 'Coverage'],
      ['not-seen', 'Not seen in the latest scan'],
      ['nodes', 'All nodes'],
    ]) {
      expect(page.includes(`<section id="${id}"><h2>${heading}`), id).toBe(true);
    }
    expect(page).toContain(`<p class="lead">${report.summary}</p>`);
  });

  it('draws the status bar, the trend and the advisory bars as inline SVG', () => {
    expect(page.match(/<svg class="chart status-bar"/g)).toHaveLength(1);
    expect(page.match(/<svg class="chart trend"/g)).toHaveLength(1);
    expect(page.match(/<svg class="chart bars"/g)).toHaveLength(1);
    expect(page.match(/<g class="trend-column">/g)).toHaveLength(report.trend.length);
  });

  it('has one node-table row per node of the latest scan, and the other lists in full', () => {
    expect(rowsOf(page, 'nodes')).toBe(report.nodes.length);
    expect(report.nodes.length).toBe(fleet.latestNodes.length);
    expect(rowsOf(page, 'hangs')).toBe(report.hangs.length);
    expect(rowsOf(page, 'pending')).toBe(report.pending.length);
    expect(rowsOf(page, 'not-seen')).toBe(report.notInLatestScan.length);
    expect(report.hangs.length).toBeGreaterThan(0);
    expect(report.notInLatestScan.length).toBeGreaterThan(0);
  });

  it('caps long tables and says where the rest is', () => {
    const capped = renderReportHtml(report, { maxNodeRows: 50, maxListRows: 5 });

    expect(rowsOf(capped, 'nodes')).toBe(50);
    expect(capped).toContain(
      `Showing the first 50 of ${report.nodes.length} rows; report.json and report.csv have them all.`,
    );
  });

  it('explains the first scan and an empty one instead of drawing nothing', () => {
    const first = buildReport({
      runs: [scanRun('r1', '2025-03-01T00:00:00.000Z', 'COMPLETE', { byStatus: { COMPLIANT: 1 } })],
      histories: [[nodeState({ node: 'a', runId: 'r1', at: '2025-03-01T00:01:00.000Z' })]],
      now: new Date('2025-03-01T01:00:00.000Z'),
    });
    const empty = buildReport({
      runs: [scanRun('r1', '2025-03-01T00:00:00.000Z')],
      histories: [],
      now: new Date('2025-03-01T01:00:00.000Z'),
    });

    expect(renderReportHtml(first)).toContain('This is the first complete scan the store holds');
    expect(renderReportHtml(first)).toContain('Only one complete scan so far');
    expect(renderReportHtml(empty)).toContain('The latest scan judged no node.');
    expect(renderReportHtml(empty)).toContain('No advisory affects any node of this scan.');
  });

  it('renders the three files with their content types', () => {
    const files = renderReportFiles(report);

    expect(files.map((f) => [f.name, f.contentType])).toEqual([
      ['report.html', 'text/html; charset=utf-8'],
      ['report.json', 'application/json; charset=utf-8'],
      ['report.csv', 'text/csv; charset=utf-8'],
    ]);
  });
});
