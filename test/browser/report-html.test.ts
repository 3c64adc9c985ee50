import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/core/report/build-report.ts';
import type { ComplianceReport } from '../../src/core/report/compliance-report.ts';
import { STATUS_COLORS } from '../../src/core/report/html/report-palette.ts';
import { renderReportHtml } from '../../src/core/report/render-report-html.ts';
import { generateFleet } from '../core/report/generated-fleet.ts';
import { nodeState, scanRun } from '../core/report/report-fixtures.ts';
import { decodePng } from './decode-png.ts';
import { CHROMIUM, HAS_CHROMIUM, runChromium } from './run-chromium.ts';

if (!HAS_CHROMIUM) {
  console.warn(
    `skipping the browser tests of report.html: ${CHROMIUM} is not installed (apt-get install chromium)`,
  );
}

/** Set REPORT_SCREENSHOT_PATH to keep the screenshot (e.g. /tmp/fleet-report.png) for a look. */
const KEEP_SCREENSHOT = process.env.REPORT_SCREENSHOT_PATH;

describe.skipIf(!HAS_CHROMIUM)('report.html in headless Chromium', () => {
  let dir: string;
  let report: ComplianceReport;
  let dom: string;
  let png: Buffer;
  let image: ReturnType<typeof decodePng>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fc-report-browser-'));
    const fleet = generateFleet({ nodes: 400, scans: 8 });
    report = buildReport({ runs: fleet.runs, histories: fleet.histories, now: fleet.now });
    const page = join(dir, 'report.html');
    await writeFile(page, renderReportHtml(report));
    const screenshot = join(dir, 'report.png');
    const run = await runChromium(page, { screenshot, windowSize: '1280,2000' });
    console.info(`chromium rendered report.html (${report.nodes.length} nodes) in ${run.ms} ms`);
    dom = run.dom;
    png = await readFile(screenshot);
    image = decodePng(png);
    if (KEEP_SCREENSHOT) await copyFile(screenshot, KEEP_SCREENSHOT);
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('takes a screenshot that is a real, non-blank page', () => {
    expect(image.width).toBe(1280);
    expect(image.height).toBe(2000);
    // A blank page of this size compresses to about 10 KB.
    expect(png.length).toBeGreaterThan(100_000);

    const colours = new Set<number>();
    let ink = 0;
    for (let i = 0; i < image.rgba.length; i += 4) {
      const [r, g, b] = [image.rgba[i]!, image.rgba[i + 1]!, image.rgba[i + 2]!];
      colours.add((r << 16) | (g << 8) | b);
      if (r < 200 || g < 200 || b < 200) ink += 1;
    }
    expect(colours.size).toBeGreaterThan(200);
    expect(ink / (image.width * image.height)).toBeGreaterThan(0.03);
  });

  it('paints the status colours of the charts (they are in the first screen)', () => {
    const near = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
      let count = 0;
      for (let i = 0; i < image.rgba.length; i += 4) {
        if (
          Math.abs(image.rgba[i]! - r!) <= 6 &&
          Math.abs(image.rgba[i + 1]! - g!) <= 6 &&
          Math.abs(image.rgba[i + 2]! - b!) <= 6
        ) {
          count += 1;
        }
      }
      return count;
    };
    expect(near(STATUS_COLORS.AT_RISK)).toBeGreaterThan(500);
    expect(near(STATUS_COLORS.COMPLIANT)).toBeGreaterThan(5000);
  });

  it('builds the SVG charts in the rendered DOM', () => {
    expect(dom.match(/<svg class="chart status-bar"/g)).toHaveLength(1);
    expect(dom.match(/<svg class="chart trend"/g)).toHaveLength(1);
    expect(dom.match(/<svg class="chart bars"/g)).toHaveLength(1);
    expect(dom.match(/<g class="trend-column">/g)).toHaveLength(report.trend.length);
    expect(dom.match(/<svg class="chart mini-bar"/g)).toHaveLength(
      report.byCluster.length + report.byOs.length,
    );
  });

  it('lays out the tables with the expected row counts', () => {
    const rows = (id: string) => {
      const start = dom.indexOf(`<section id="${id}">`);
      const section = dom.slice(start, dom.indexOf('</section>', start));
      return (section.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0].match(/<tr>/g) ?? []).length;
    };
    expect(rows('nodes')).toBe(report.nodes.length);
    expect(report.nodes.length).toBeGreaterThan(300);
    expect(rows('by-cluster')).toBe(report.byCluster.length);
    expect(rows('by-os')).toBe(report.byOs.length);
    expect(rows('pending')).toBe(report.pending.length);
    expect(rows('hangs')).toBe(report.hangs.length);
    expect(rows('trend')).toBe(report.trend.length);
    expect(dom.match(/<section id="/g)).toHaveLength(11);
  });

  it('runs no script even when one is slipped into the page: the CSP blocks it', async () => {
    const small = buildReport({
      runs: [scanRun('r1', '2025-03-01T00:00:00.000Z', 'COMPLETE', { byStatus: { COMPLIANT: 1 } })],
      histories: [[nodeState({ node: 'a', runId: 'r1', at: '2025-03-01T00:01:00.000Z' })]],
      now: new Date('2025-03-01T01:00:00.000Z'),
    });
    // What an escaping bug would look like: markup that runs script, inline and as an attribute.
    const tampered = renderReportHtml(small).replace(
      '</main>',
      `<script>document.body.setAttribute('data-ran', 'inline')</script><svg><image href="x" onerror="document.body.setAttribute('data-ran','handler')"></image></svg></main>`,
    );
    const page = join(dir, 'tampered.html');
    await writeFile(page, tampered);
    // The control: the same page without the policy does run it (so the check above means something).
    const control = join(dir, 'tampered-without-csp.html');
    await writeFile(control, tampered.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    const [guarded, unguarded] = await Promise.all([
      runChromium(page, { windowSize: '800,600' }),
      runChromium(control, { windowSize: '800,600' }),
    ]);

    expect(guarded.dom).toContain('<script>');
    expect(/<body[^>]*data-ran=/.test(guarded.dom)).toBe(false);
    expect(/<body[^>]*data-ran=/.test(unguarded.dom)).toBe(true);
  }, 90_000);
});
