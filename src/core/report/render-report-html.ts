import type { Severity, VerdictStatus } from '../verdict.ts';
import type {
  ComplianceReport,
  ReportChange,
  ReportGroup,
  ReportNode,
  ReportNodeRef,
  ReportPending,
} from './compliance-report.ts';
import { countOf, formatCount, formatPercent } from './format-count.ts';
import {
  SEVERITY_COLORS,
  SEVERITY_DISPLAY_ORDER,
  STATUS_COLORS,
  STATUS_DISPLAY_ORDER,
  STATUS_LABELS,
} from './html/report-palette.ts';
import { REPORT_CSS } from './html/report-styles.ts';
import { html, type SafeHtml, trustedHtml } from './html/safe-html.ts';
import { horizontalBarChart, miniStatusBar, statusBarChart, trendChart } from './html/svg-charts.ts';

/**
 * Nothing but inline styles may load, and no script at all: even an escaping bug could not run
 * code or fetch anything. `base-uri` and `form-action` do not fall back to `default-src`.
 */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export interface RenderHtmlOptions {
  /** Rows of the node table in the HTML (the CSV always has every node). Default 5,000. */
  readonly maxNodeRows?: number;
  /** Rows of each shorter list (changes, hangs, pending...). Default 200. */
  readonly maxListRows?: number;
}

/**
 * report.html: one self-contained file (inline CSS, inline SVG charts, no script, no network
 * load) a manager can open or print. Every value is escaped by the `html` template; node-supplied
 * text never reaches the page as markup.
 */
export function renderReportHtml(report: ComplianceReport, options: RenderHtmlOptions = {}): string {
  const limits = { nodes: options.maxNodeRows ?? 5000, list: options.maxListRows ?? 200 };
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="fleet-compliance">
<title>${report.title} — ${formatTime(report.scan.startedAt)}</title>
<style>${trustedHtml(REPORT_CSS)}</style>
</head>
<body>
${masthead(report)}
<main class="page">
${summarySection(report)}
${changesSection(report, limits.list)}
${trendSection(report)}
${advisorySection(report, limits.list)}
${hangSection(report, limits.list)}
${pendingSection(report, limits.list)}
${groupSection('by-cluster', 'By cluster', 'Cluster', report.byCluster, 'Nodes grouped by their cluster tag; nodes without one are under (none).')}
${groupSection('by-os', 'By operating system', 'Operating system', report.byOs, 'Nodes grouped by the OS they reported; unreachable nodes report none.')}
${coverageSection(report, limits.list)}
${notSeenSection(report, limits.list)}
${nodeSection(report, limits.nodes)}
${footer(report)}
</main>
</body>
</html>
`;
  return page.value;
}

const SECTIONS: readonly [string, string][] = [
  ['summary', 'Summary'],
  ['changes', 'Changes'],
  ['trend', 'Trend'],
  ['advisories', 'Advisories'],
  ['hangs', 'Hangs'],
  ['pending', 'Pending'],
  ['by-cluster', 'Clusters'],
  ['by-os', 'OS'],
  ['coverage', 'Coverage'],
  ['not-seen', 'Not seen'],
  ['nodes', 'All nodes'],
];

function masthead(report: ComplianceReport): SafeHtml {
  const { scan } = report;
  return html`<header class="masthead"><div class="page">
<div class="eyebrow">fleet-compliance · compliance report</div>
<h1>${report.title}</h1>
<dl class="meta">
<div><dt>Scan</dt><dd class="mono">${scan.runId}</dd></div>
<div><dt>Scan started</dt><dd>${formatTime(scan.startedAt)}</dd></div>
<div><dt>Scan finished</dt><dd>${scan.finishedAt ? formatTime(scan.finishedAt) : '—'}</dd></div>
<div><dt>Targets</dt><dd class="mono">${scan.targets}</dd></div>
<div><dt>Report generated</dt><dd>${formatTime(report.generatedAt)}</dd></div>
</dl>
<nav class="toc" aria-label="Sections">${SECTIONS.map(([id, label]) => html`<a href="#${id}">${label}</a>`)}</nav>
</div></header>`;
}

function summarySection(report: ComplianceReport): SafeHtml {
  const { totals } = report;
  const tile = (kind: string, value: number, label: string, share?: string) =>
    html`<div class="tile ${kind}"><div class="value">${formatCount(value)}</div><div class="label">${label}</div>${share ? html`<div class="share">${share}</div>` : ''}</div>`;
  const statusTiles = STATUS_DISPLAY_ORDER.map((s) =>
    tile(
      s,
      totals.byStatus[s],
      STATUS_LABELS[s],
      `${formatPercent(totals.byStatus[s], totals.nodes)} of nodes`,
    ),
  );
  return html`<section id="summary"><h2>Summary</h2>
<p class="lead">${report.summary}</p>
<div class="tiles">
${tile('TOTAL', totals.nodes, 'Nodes in this scan')}
${statusTiles}
${tile('HANG', totals.hangs, 'Hang in progress', 'failing now')}
</div>
${statusBarChart(totals.byStatus, totals.nodes)}
${legend()}
${
  report.warnings.length > 0
    ? html`<div class="warnings" role="note"><h3>Read with care</h3><ul>${report.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>`
    : ''
}
</section>`;
}

function legend(): SafeHtml {
  return html`<ul class="legend">${STATUS_DISPLAY_ORDER.map(
    (s) =>
      html`<li><span class="swatch" style="background:${STATUS_COLORS[s]}"></span>${STATUS_LABELS[s]}</li>`,
  )}</ul>`;
}

function changesSection(report: ComplianceReport, maxRows: number): SafeHtml {
  const { changes } = report;
  if (!changes.previousScan) {
    return html`<section id="changes"><h2>Changes since the previous scan</h2>
<p class="empty">This is the first complete scan the store holds: there is nothing to compare with yet.</p></section>`;
  }
  const prev = changes.previousScan;
  const size =
    changes.fleetSizeChange === undefined || changes.fleetSizeChange === 0
      ? 'The number of nodes did not change.'
      : `The scan covered ${countOf(Math.abs(changes.fleetSizeChange), 'node')} ${changes.fleetSizeChange > 0 ? 'more' : 'fewer'} than the previous one.`;
  const newNodes = changes.newNodesKnown
    ? refTable(changes.newNodes, maxRows, 'No new node.')
    : html`<p class="empty">Not known: the store rewrites a steady node's state every scan, so only the previous scan's report can tell which nodes are new, and none was at hand.</p>`;
  return html`<section id="changes"><h2>Changes since the previous scan</h2>
<p class="section-note">Compared with scan <span class="mono">${prev.runId}</span> (started ${formatTime(prev.startedAt)}, ${countOf(prev.targeted, 'node')}). ${size}</p>
<div class="tiles">
${changeTile('AT_RISK', changes.newlyAtRisk.length, 'Newly at risk')}
${changeTile('COMPLIANT', changes.remediated.length, 'Remediated')}
${changeTile('UNREACHABLE', changes.newlyUnreachable.length, 'Newly unreachable')}
${changeTile('TOTAL', changes.newNodesKnown ? changes.newNodes.length : undefined, 'New nodes')}
${changeTile('UNKNOWN', changes.otherChanges.length, 'Other changes')}
</div>
<h3>Newly at risk (${formatCount(changes.newlyAtRisk.length)})</h3>
<p class="section-note">Compliant in the previous scan, at risk or pending a reboot now.</p>
${changeTable(changes.newlyAtRisk, maxRows, 'No node became at risk.')}
<h3>Remediated (${formatCount(changes.remediated.length)})</h3>
<p class="section-note">At risk or pending in the previous scan, compliant now.</p>
${changeTable(changes.remediated, maxRows, 'No node was remediated.')}
<h3>Newly unreachable (${formatCount(changes.newlyUnreachable.length)})</h3>
${changeTable(changes.newlyUnreachable, maxRows, 'No node became unreachable.')}
<h3>New nodes (${changes.newNodesKnown ? formatCount(changes.newNodes.length) : 'not known'})</h3>
${newNodes}
<h3>Other changes (${formatCount(changes.otherChanges.length)})</h3>
<p class="section-note">Findings, versions or reachability changed without entering or leaving the at-risk set.</p>
${changeTable(changes.otherChanges, maxRows, 'No other change.')}
</section>`;
}

function changeTile(kind: string, value: number | undefined, label: string): SafeHtml {
  return html`<div class="tile ${kind}"><div class="value">${value === undefined ? '—' : formatCount(value)}</div><div class="label">${label}</div></div>`;
}

function changeTable(changes: readonly ReportChange[], maxRows: number, empty: string): SafeHtml {
  if (changes.length === 0) return html`<p class="empty">${empty}</p>`;
  const rows = changes
    .slice(0, maxRows)
    .map(
      (c) =>
        html`<tr><td class="mono">${word(c.node)}</td><td>${word(c.hostname)}</td><td>${word(c.cluster)}</td><td>${badge(c.from)}</td><td>${badge(c.status)}</td><td class="mono">${words(c.advisories)}</td></tr>`,
    );
  return html`<table class="data"><thead><tr><th>Node</th><th>Hostname</th><th>Cluster</th><th>Before</th><th>Now</th><th>Advisories</th></tr></thead><tbody>${rows}</tbody></table>${more(changes.length, maxRows)}`;
}

function refTable(refs: readonly ReportNodeRef[], maxRows: number, empty: string): SafeHtml {
  if (refs.length === 0) return html`<p class="empty">${empty}</p>`;
  const rows = refs
    .slice(0, maxRows)
    .map(
      (r) =>
        html`<tr><td class="mono">${word(r.node)}</td><td>${word(r.hostname)}</td><td>${word(r.cluster)}</td><td>${badge(r.status)}</td><td class="mono">${words(r.advisories)}</td></tr>`,
    );
  return html`<table class="data"><thead><tr><th>Node</th><th>Hostname</th><th>Cluster</th><th>Status</th><th>Advisories</th></tr></thead><tbody>${rows}</tbody></table>${more(refs.length, maxRows)}`;
}

function trendSection(report: ComplianceReport): SafeHtml {
  const { trend, incompleteScans } = report;
  const first = trend[0]!;
  const last = trend[trend.length - 1]!;
  const atRiskDelta = last.byStatus.AT_RISK - first.byStatus.AT_RISK;
  const sentence =
    trend.length < 2
      ? 'Only one complete scan so far; the trend grows with every scan.'
      : `Over the last ${countOf(trend.length, 'complete scan')}, nodes at risk went from ${formatCount(first.byStatus.AT_RISK)} to ${formatCount(last.byStatus.AT_RISK)} (${atRiskDelta === 0 ? 'no change' : `${atRiskDelta > 0 ? '+' : '−'}${formatCount(Math.abs(atRiskDelta))}`}).`;
  const rows = [...trend]
    .reverse()
    .map(
      (p) =>
        html`<tr><td>${formatTime(p.startedAt)}</td><td class="mono">${p.runId}</td><td class="num">${formatCount(p.targeted)}</td>${STATUS_DISPLAY_ORDER.map((s) => html`<td class="num">${formatCount(p.byStatus[s])}</td>`)}</tr>`,
    );
  return html`<section id="trend"><h2>Trend</h2>
<p class="section-note">${sentence}</p>
${trendChart(trend)}
${legend()}
<table class="data"><thead><tr><th>Scan started</th><th>Scan</th><th class="num">Nodes</th>${STATUS_DISPLAY_ORDER.map((s) => html`<th class="num">${STATUS_LABELS[s]}</th>`)}</tr></thead><tbody>${rows}</tbody></table>
${
  incompleteScans.length > 0
    ? html`<p class="section-note">Not plotted: ${incompleteScans.map((s, i) => html`${i > 0 ? ', ' : ''}<span class="mono">${s.runId}</span> (${s.status.toLowerCase()}, ${formatTime(s.startedAt)})`)}.</p>`
    : ''
}
</section>`;
}

function advisorySection(report: ComplianceReport, maxRows: number): SafeHtml {
  const { byAdvisory, totals } = report;
  const withFindings = SEVERITY_DISPLAY_ORDER.reduce((sum, s) => sum + totals.bySeverity[s], 0);
  const severityTiles = SEVERITY_DISPLAY_ORDER.map(
    (s) =>
      html`<div class="tile" style="border-left-color:${SEVERITY_COLORS[s]}"><div class="value">${formatCount(totals.bySeverity[s])}</div><div class="label"><span class="sev ${s}">${s}</span> at worst</div></div>`,
  );
  const chart =
    byAdvisory.length > 0
      ? horizontalBarChart(
          byAdvisory.slice(0, 15).map((a) => ({
            label: a.id,
            value: a.nodes,
            color: SEVERITY_COLORS[a.severity],
            detail: `${a.severity}${a.hangs > 0 ? `, ${a.hangs} with a hang in progress` : ''}`,
          })),
          'Nodes affected per advisory',
        )
      : '';
  const rows = byAdvisory.slice(0, maxRows).map((a) => {
    const shown = a.nodeIds.slice(0, 5);
    return html`<tr><td><code>${a.id}</code>${a.title ? html`<div>${a.title}</div>` : ''}</td><td>${severity(a.severity)}</td><td class="num">${formatCount(a.nodes)}</td><td class="num">${formatCount(a.hangs)}</td><td>${a.remediation ?? ''}</td><td class="mono">${words(shown)}${a.nodeIds.length > shown.length ? html` <span class="more">and ${formatCount(a.nodeIds.length - shown.length)} more</span>` : ''}</td></tr>`;
  });
  return html`<section id="advisories"><h2>At-risk nodes by advisory</h2>
<p class="section-note">${countOf(withFindings, 'node')} carry at least one finding. By the most severe finding on each node:</p>
<div class="tiles">${severityTiles}</div>
${chart}
${
  byAdvisory.length === 0
    ? html`<p class="empty">No advisory affects any node of this scan.</p>`
    : html`<table class="data"><thead><tr><th>Advisory</th><th>Severity</th><th class="num">Nodes</th><th class="num">Hangs</th><th>Remediation</th><th>Nodes (most urgent first)</th></tr></thead><tbody>${rows}</tbody></table>${more(byAdvisory.length, maxRows)}`
}
</section>`;
}

function hangSection(report: ComplianceReport, maxRows: number): SafeHtml {
  return html`<section id="hangs"><h2>Hangs in progress (${formatCount(report.hangs.length)})</h2>
<p class="section-note">Nodes on which the failure itself was seen (PID 1 not answering D-Bus, docker not answering, PLEG errors): they are failing now and come first in any campaign.</p>
${refTable(report.hangs, maxRows, 'No hang in progress was seen.')}
</section>`;
}

function pendingSection(report: ComplianceReport, maxRows: number): SafeHtml {
  const { totals } = report;
  const rows = report.pending
    .slice(0, maxRows)
    .map(
      (p: ReportPending) =>
        html`<tr><td class="mono">${word(p.node)}</td><td>${word(p.hostname)}</td><td>${word(p.cluster)}</td><td>${badge(p.status)}</td><td>${p.fixes.map((f, i) => html`${i > 0 ? html`<br>` : ''}<code>${f.id}</code>: <strong>${f.action}</strong> — ${f.detail}`)}</td></tr>`,
    );
  return html`<section id="pending"><h2>Pending re-exec or reboot (${formatCount(report.pending.length)})</h2>
<p class="section-note">The fixed package is installed but the running PID 1 or kernel is still the old one: ${countOf(totals.pendingReexec, 'node')} need <code>systemctl daemon-reexec</code>, ${countOf(totals.pendingReboot, 'node')} a reboot.</p>
${
  report.pending.length === 0
    ? html`<p class="empty">No node waits for a re-exec or reboot.</p>`
    : html`<table class="data"><thead><tr><th>Node</th><th>Hostname</th><th>Cluster</th><th>Status</th><th>Fixes waiting</th></tr></thead><tbody>${rows}</tbody></table>${more(report.pending.length, maxRows)}`
}
</section>`;
}

const MAX_GROUP_ROWS = 40;

function groupSection(
  id: string,
  title: string,
  column: string,
  groups: readonly ReportGroup[],
  note: string,
): SafeHtml {
  const rows = groups
    .slice(0, MAX_GROUP_ROWS)
    .map(
      (g) =>
        html`<tr><td>${g.name}</td><td class="num">${formatCount(g.nodes)}</td>${STATUS_DISPLAY_ORDER.map((s) => html`<td class="num">${formatCount(g.byStatus[s])}</td>`)}<td class="num">${formatCount(g.hangs)}</td><td>${miniStatusBar(g.byStatus, g.nodes)}</td></tr>`,
    );
  return html`<section id="${id}"><h2>${title}</h2>
<p class="section-note">${note} Most nodes at risk first.</p>
${
  groups.length === 0
    ? html`<p class="empty">No node.</p>`
    : html`<table class="data"><thead><tr><th>${column}</th><th class="num">Nodes</th>${STATUS_DISPLAY_ORDER.map((s) => html`<th class="num">${STATUS_LABELS[s]}</th>`)}<th class="num">Hangs</th><th>Mix</th></tr></thead><tbody>${rows}</tbody></table>${more(groups.length, MAX_GROUP_ROWS, 'groups')}`
}
</section>`;
}

function coverageSection(report: ComplianceReport, maxRows: number): SafeHtml {
  const { coverage } = report;
  const unreachable = report.totals.byStatus.UNREACHABLE;
  const bySsm = coverage.unreachableBySsmStatus.map(
    (u) => html`<tr><td class="mono">${u.ssmStatus}</td><td class="num">${formatCount(u.nodes)}</td></tr>`,
  );
  const missing = coverage.missingNodes.slice(0, maxRows);
  return html`<section id="coverage"><h2>Coverage</h2>
<p class="section-note">${countOf(coverage.missing, 'node')} selected by the targets never answered this scan (recorded unreachable as <code>NotInvoked</code>); ${countOf(unreachable, 'node')} in all could not be probed. Unreachable and unknown nodes are never counted as compliant.</p>
<div class="grid-2">
<div><h3>Unreachable by SSM status</h3>${
    bySsm.length === 0
      ? html`<p class="empty">Every node was reached.</p>`
      : html`<table class="data"><thead><tr><th>SSM status</th><th class="num">Nodes</th></tr></thead><tbody>${bySsm}</tbody></table>`
  }</div>
<div><h3>Selected but never answered</h3>${
    missing.length === 0
      ? html`<p class="empty">None.</p>`
      : html`<p class="mono">${words(missing)}</p>${coverage.missing > missing.length ? html`<p class="more">and ${formatCount(coverage.missing - missing.length)} more (the scan keeps the first ${formatCount(coverage.missingNodes.length)}).</p>` : ''}`
  }</div>
</div>
</section>`;
}

function notSeenSection(report: ComplianceReport, maxRows: number): SafeHtml {
  const nodes = report.notInLatestScan;
  const rows = nodes
    .slice(0, maxRows)
    .map(
      (n) =>
        html`<tr><td class="mono">${word(n.node)}</td><td>${word(n.hostname)}</td><td>${word(n.cluster)}</td><td>${badge(n.status)}</td><td>${time(n.lastSeen)}</td><td class="mono">${word(n.runId)}</td></tr>`,
    );
  return html`<section id="not-seen"><h2>Not seen in the latest scan (${formatCount(nodes.length)})</h2>
<p class="section-note">Nodes the store knows whose newest state comes from an earlier scan: no longer targeted, terminated, or untagged. Their last known state is shown; they are not counted above.</p>
${
  nodes.length === 0
    ? html`<p class="empty">Every known node was in the latest scan.</p>`
    : html`<table class="data"><thead><tr><th>Node</th><th>Hostname</th><th>Cluster</th><th>Last status</th><th>Last seen</th><th>Last scan</th></tr></thead><tbody>${rows}</tbody></table>${more(nodes.length, maxRows)}`
}
</section>`;
}

function nodeSection(report: ComplianceReport, maxRows: number): SafeHtml {
  const rows = report.nodes.slice(0, maxRows).map(nodeRow);
  return html`<section id="nodes"><h2>All nodes (${formatCount(report.nodes.length)})</h2>
<p class="section-note">Every node of the latest scan, most urgent first. report.csv holds the same rows with more columns.</p>
<table class="data nodes"><thead><tr><th>Node / hostname</th><th>Status</th><th>Severity</th><th>Findings</th><th>OS / kernel</th><th>systemd</th><th>Cluster</th><th>Last seen</th></tr></thead><tbody>${rows}</tbody></table>
${more(report.nodes.length, maxRows)}
</section>`;
}

function nodeRow(n: ReportNode): SafeHtml {
  const findings = n.findings.map(
    (f, i) =>
      html`${i > 0 ? ' ' : ''}<code class="nw">${f.id}</code>${f.hangInProgress ? html`<span class="hang">hang</span>` : ''}`,
  );
  const omitted =
    n.findingsOmitted > 0 ? html` <span class="more">+${formatCount(n.findingsOmitted)} more</span>` : '';
  const why =
    n.findings.length === 0 && n.reasons.length > 0 ? html`<span class="more">${n.reasons[0]}</span>` : '';
  return html`<tr><td><div class="mono">${word(n.node)}</div><div class="sub">${word(n.hostname)}</div></td><td>${badge(n.status)}</td><td>${n.maxSeverity ? severity(n.maxSeverity) : ''}</td><td>${findings}${omitted}${why}</td><td><div>${n.facts.os ?? ''}</div><div class="sub mono">${word(n.facts.kernel)}</div></td><td class="mono">${word(n.facts.systemd)}</td><td>${word(n.cluster)}</td><td>${time(n.lastSeen)}</td></tr>`;
}

function footer(report: ComplianceReport): SafeHtml {
  return html`<footer>
<dl>
<dt>${STATUS_LABELS.AT_RISK}</dt><dd>At least one advisory affects what is installed or running.</dd>
<dt>${STATUS_LABELS.PENDING_REBOOT}</dt><dd>The fixed package is installed; PID 1 or the kernel still runs the old one (re-exec or reboot completes the fix).</dd>
<dt>${STATUS_LABELS.COMPLIANT}</dt><dd>A complete probe output and no finding.</dd>
<dt>${STATUS_LABELS.UNKNOWN}</dt><dd>No verdict possible (missing, garbled or truncated output). Never counted as compliant.</dd>
<dt>${STATUS_LABELS.UNREACHABLE}</dt><dd>SSM could not run the probe on the node.</dd>
</dl>
<p>Report format ${report.formatVersion}, generated ${formatTime(report.generatedAt)} by fleet-compliance. This file is self-contained: it loads nothing from the network and runs no script. Values reported by nodes are shown as text, never interpreted.</p>
</footer>`;
}

function badge(status: VerdictStatus): SafeHtml {
  return html`<span class="badge ${status}">${STATUS_LABELS[status]}</span>`;
}

function severity(s: Severity): SafeHtml {
  return html`<span class="sev ${s}">${s}</span>`;
}

function more(total: number, shown: number, noun = 'rows'): SafeHtml | '' {
  return total > shown
    ? html`<p class="more">Showing the first ${formatCount(shown)} of ${formatCount(total)} ${noun}; report.json and report.csv have them all.</p>`
    : '';
}

/**
 * An identifier or version kept on one line when short (ids and versions break badly at their
 * hyphens); a long one, which only a hostile node sends, wraps anywhere rather than widen the page.
 */
function word(value: string | undefined): SafeHtml | '' {
  if (value === undefined || value === '') return '';
  return value.length <= 40
    ? html`<span class="nw">${value}</span>`
    : html`<span class="wrap">${value}</span>`;
}

/** Identifiers separated by spaces, so a line breaks between them and never inside one. */
function words(values: readonly string[]): SafeHtml[] {
  return values.map((v, i) => html`${i > 0 ? ' ' : ''}${word(v)}`);
}

/** A time on two unbreakable halves: the date, then the time of day. */
function time(iso: string): SafeHtml {
  const [date, ...rest] = formatTime(iso).split(' ');
  return rest.length === 0
    ? html`${iso}`
    : html`<span class="nw">${date}</span> <span class="nw">${rest.join(' ')}</span>`;
}

/** `2025-03-01T06:00:12.345Z` -> `2025-03-01 06:00 UTC`; anything else as given. */
function formatTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}
