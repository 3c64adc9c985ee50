import type { VerdictStatus } from '../../verdict.ts';
import type { ReportTrendPoint } from '../compliance-report.ts';
import { formatCount, formatPercent } from '../format-count.ts';
import { STATUS_COLORS, STATUS_DISPLAY_ORDER, STATUS_LABELS } from './report-palette.ts';
import { html, type SafeHtml } from './safe-html.ts';

/**
 * Charts as inline SVG built here (no script, no external file): they render in any browser,
 * print, and survive the report's Content-Security-Policy. Every label goes through `html`, so a
 * cluster or advisory name is escaped inside <text> and <title> like anywhere else. Colours are
 * attributes, not classes, so a chart copied out of the page keeps them.
 */

/** One 100% stacked bar of the status counts. */
export function statusBarChart(byStatus: Readonly<Record<VerdictStatus, number>>, total: number): SafeHtml {
  const width = 1000;
  const height = 34;
  let x = 0;
  const segments = STATUS_DISPLAY_ORDER.filter((s) => byStatus[s] > 0).map((status) => {
    const w = total > 0 ? (byStatus[status] / total) * width : 0;
    const segment = html`<rect x="${round(x)}" y="0" width="${round(w)}" height="${height}" fill="${STATUS_COLORS[status]}"><title>${STATUS_LABELS[status]}: ${formatCount(byStatus[status])} of ${formatCount(total)} (${formatPercent(byStatus[status], total)})</title></rect>`;
    x += w;
    return segment;
  });
  const empty =
    total === 0 ? html`<rect x="0" y="0" width="${width}" height="${height}" fill="#e4e7eb"/>` : '';
  return html`<svg class="chart status-bar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="Nodes by status">${empty}${segments}</svg>`;
}

/** A small stacked bar for a table row (a cluster, an OS). */
export function miniStatusBar(byStatus: Readonly<Record<VerdictStatus, number>>, total: number): SafeHtml {
  const width = 160;
  const height = 10;
  let x = 0;
  const segments = STATUS_DISPLAY_ORDER.filter((s) => byStatus[s] > 0).map((status) => {
    const w = total > 0 ? (byStatus[status] / total) * width : 0;
    const segment = html`<rect x="${round(x)}" y="0" width="${round(w)}" height="${height}" fill="${STATUS_COLORS[status]}"><title>${STATUS_LABELS[status]}: ${formatCount(byStatus[status])}</title></rect>`;
    x += w;
    return segment;
  });
  return html`<svg class="chart mini-bar" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Status mix">${segments}</svg>`;
}

/** Stacked columns, one per COMPLETE scan, oldest on the left. */
export function trendChart(points: readonly ReportTrendPoint[]): SafeHtml {
  const width = 1000;
  const height = 280;
  const left = 64;
  const right = 16;
  const top = 14;
  const bottom = 46;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxNodes = Math.max(1, ...points.map((p) => sumStatus(p.byStatus)));
  const yMax = niceCeiling(maxNodes);
  const y = (value: number) => top + plotH - (value / yMax) * plotH;
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.min(56, slot * 0.68);
  const labelEvery = Math.max(1, Math.ceil(points.length / 16));

  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(yMax * f));
  const grid = ticks.map(
    (t) =>
      html`<line x1="${left}" x2="${width - right}" y1="${round(y(t))}" y2="${round(y(t))}" stroke="#d9dee4" stroke-width="1"/><text x="${left - 8}" y="${round(y(t) + 4)}" text-anchor="end" class="axis">${formatCount(t)}</text>`,
  );
  const columns = points.map((point, i) => {
    const cx = left + slot * i + slot / 2;
    const total = sumStatus(point.byStatus);
    let base = 0;
    const stack = STATUS_DISPLAY_ORDER.filter((s) => point.byStatus[s] > 0).map((status) => {
      const h = (point.byStatus[status] / yMax) * plotH;
      const rect = html`<rect x="${round(cx - barW / 2)}" y="${round(y(base) - h)}" width="${round(barW)}" height="${round(h)}" fill="${STATUS_COLORS[status]}"/>`;
      base += point.byStatus[status];
      return rect;
    });
    const tooltip = STATUS_DISPLAY_ORDER.map(
      (s) => `${STATUS_LABELS[s]} ${formatCount(point.byStatus[s])}`,
    ).join(', ');
    const label =
      i % labelEvery === 0 || i === points.length - 1
        ? html`<text x="${round(cx)}" y="${height - bottom + 18}" text-anchor="middle" class="axis">${point.startedAt.slice(5, 10)}</text><text x="${round(cx)}" y="${height - bottom + 32}" text-anchor="middle" class="axis muted">${point.startedAt.slice(11, 16)}</text>`
        : '';
    return html`<g class="trend-column"><title>Scan ${point.runId} (${point.startedAt}): ${formatCount(total)} nodes; ${tooltip}</title>${stack}</g>${label}`;
  });
  return html`<svg class="chart trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="Nodes by status over the last ${points.length} scans">${grid}<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#9aa5b1" stroke-width="1"/>${columns}</svg>`;
}

export interface BarItem {
  readonly label: string;
  readonly value: number;
  readonly color: string;
  /** Extra words for the tooltip. */
  readonly detail?: string;
}

/** Horizontal bars with their label on the left and the count on the right. */
export function horizontalBarChart(items: readonly BarItem[], ariaLabel: string): SafeHtml {
  const width = 1000;
  const rowH = 26;
  const labelW = 330;
  const valueW = 80;
  const height = Math.max(rowH, items.length * rowH) + 4;
  const maxValue = Math.max(1, ...items.map((i) => i.value));
  const barMax = width - labelW - valueW;
  const rows = items.map((item, i) => {
    const yTop = i * rowH + 3;
    const w = Math.max(2, (item.value / maxValue) * barMax);
    const label = item.label.length > 44 ? `${item.label.slice(0, 43)}…` : item.label;
    return html`<g><title>${item.label}: ${formatCount(item.value)}${item.detail ? ` (${item.detail})` : ''}</title><text x="${labelW - 10}" y="${yTop + 15}" text-anchor="end" class="bar-label">${label}</text><rect x="${labelW}" y="${yTop}" width="${round(w)}" height="${rowH - 8}" rx="2" fill="${item.color}"/><text x="${round(labelW + w + 8)}" y="${yTop + 15}" class="bar-value">${formatCount(item.value)}</text></g>`;
  });
  return html`<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${ariaLabel}">${rows}</svg>`;
}

function sumStatus(byStatus: Readonly<Record<VerdictStatus, number>>): number {
  return STATUS_DISPLAY_ORDER.reduce((sum, s) => sum + (byStatus[s] ?? 0), 0);
}

/** A round axis top at or above `value` whose quarters are round too (0, 800, 1,600, 2,400, 3,200). */
function niceCeiling(value: number): number {
  if (value <= 4) return 4;
  if (value <= 8) return 8;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.6, 2, 2.4, 3.2, 4, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
