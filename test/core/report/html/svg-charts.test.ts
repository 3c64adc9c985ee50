import { describe, expect, it } from 'vitest';
import {
  horizontalBarChart,
  miniStatusBar,
  statusBarChart,
  trendChart,
} from '../../../../src/core/report/html/svg-charts.ts';
import { emptyStatusCounts } from '../../../../src/core/store/scan-run.ts';

const counts = { ...emptyStatusCounts(), AT_RISK: 312, PENDING_REBOOT: 85, UNREACHABLE: 7, COMPLIANT: 2596 };

describe('svg charts', () => {
  it('draws one segment per present status, widths adding up to the bar', () => {
    const svg = statusBarChart(counts, 3000).value;
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));

    expect(widths).toHaveLength(4);
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 0);
    expect(svg).toContain('<title>At risk: 312 of 3,000 (10.4%)</title>');
  });

  it('draws an empty bar for an empty scan', () => {
    expect(statusBarChart(emptyStatusCounts(), 0).value).toContain('fill="#e4e7eb"');
  });

  it('draws one column per scan, with round axis labels', () => {
    const points = [1, 2, 3].map((i) => ({
      runId: `r${i}`,
      startedAt: `2025-03-0${i}T06:00:00.000Z`,
      targeted: 3000,
      byStatus: { ...counts, AT_RISK: 312 - i * 10, COMPLIANT: 2596 + i * 10 },
    }));
    const svg = trendChart(points).value;

    expect(svg.match(/<g class="trend-column">/g)).toHaveLength(3);
    expect(svg).toContain('>03-01</text>');
    expect(svg).toContain('>3,200</text>');
    expect(svg).toContain('<title>Scan r2 (2025-03-02T06:00:00.000Z): 3,000 nodes;');
  });

  it('escapes bar labels in <text> and <title>, and shortens long ones', () => {
    const svg = horizontalBarChart(
      [
        { label: '<b>x</b>', value: 3, color: '#000' },
        { label: 'A'.repeat(60), value: 1, color: '#000', detail: 'low' },
      ],
      'bars',
    ).value;

    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain(`${'A'.repeat(43)}…</text>`);
    expect(svg).toContain(`<title>${'A'.repeat(60)}: 1 (low)</title>`);
    expect(miniStatusBar(counts, 3000).value).toContain('width="160"');
  });
});
