/**
 * The report's only stylesheet, inlined (the Content-Security-Policy allows inline styles and
 * nothing else). System fonts only: nothing to download. Sober on screen, clean on paper.
 */
export const REPORT_CSS = `
:root {
  --ink: #1f2933; --muted: #52606d; --faint: #7b8794; --line: #d9dee4; --band: #f5f7fa;
  --accent: #1f4e79; --risk: #b3261e; --pending: #d98a04; --unknown: #8a7bb8;
  --unreachable: #4f5d6b; --ok: #2e7d4f;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
.page { max-width: 1180px; margin: 0 auto; padding: 0 28px 40px; }
header.masthead { background: var(--band); border-bottom: 1px solid var(--line); margin-bottom: 8px; }
header.masthead .page { padding-top: 22px; padding-bottom: 18px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; color: var(--muted); font-weight: 600; }
h1 { font-size: 26px; margin: 4px 0 12px; font-weight: 650; letter-spacing: -.01em; }
h2 { font-size: 19px; margin: 34px 0 4px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); font-weight: 650; }
h3 { font-size: 15px; margin: 20px 0 6px; font-weight: 650; }
p { margin: 6px 0 10px; }
.section-note { color: var(--muted); margin: 6px 0 12px; max-width: 860px; }
dl.meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 6px 24px; margin: 0; }
dl.meta div { min-width: 0; }
dl.meta dt { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
dl.meta dd { margin: 0; font-weight: 500; overflow-wrap: anywhere; }
nav.toc { font-size: 13px; color: var(--muted); margin: 10px 0 0; }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: 14px; white-space: nowrap; }
.lead { font-size: 19px; line-height: 1.4; margin: 14px 0 16px; font-weight: 500; max-width: 960px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(138px, 1fr)); gap: 10px; margin: 14px 0 18px; }
.tile { border: 1px solid var(--line); border-left-width: 5px; border-radius: 4px; padding: 9px 12px; background: #fff; break-inside: avoid; }
.tile .value { font-size: 24px; font-weight: 650; line-height: 1.15; }
.tile .label { font-size: 12px; color: var(--muted); }
.tile .share { font-size: 12px; color: var(--faint); }
.tile.AT_RISK { border-left-color: var(--risk); } .tile.PENDING_REBOOT { border-left-color: var(--pending); }
.tile.UNKNOWN { border-left-color: var(--unknown); } .tile.UNREACHABLE { border-left-color: var(--unreachable); }
.tile.COMPLIANT { border-left-color: var(--ok); } .tile.HANG { border-left-color: #6d1414; }
.tile.TOTAL { border-left-color: var(--accent); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 12px; color: var(--muted); margin: 6px 0 0; padding: 0; list-style: none; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
svg.chart { display: block; width: 100%; height: auto; }
svg.status-bar { height: 30px; border-radius: 3px; }
svg.mini-bar { width: 160px; height: 10px; display: inline-block; vertical-align: middle; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg text.axis { font-size: 12px; fill: var(--muted); }
svg text.muted { fill: var(--faint); }
svg text.bar-label { font-size: 13px; }
svg text.bar-value { font-size: 13px; font-weight: 600; }
.warnings { border: 1px solid #e7c27d; background: #fff8e6; border-radius: 4px; padding: 8px 14px; margin: 14px 0; }
.warnings h3 { margin: 4px 0; font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: #7a5200; }
.warnings ul { margin: 4px 0; padding-left: 18px; }
.empty { color: var(--muted); font-style: italic; }
table.data { width: 100%; border-collapse: collapse; margin: 8px 0 14px; font-size: 13px; }
table.data caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.data th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; border-bottom: 1px solid var(--ink); padding: 6px 8px; vertical-align: bottom; }
table.data td { border-bottom: 1px solid var(--line); padding: 5px 8px; vertical-align: top; overflow-wrap: break-word; }
table.data tbody tr:nth-child(even) td { background: #fafbfc; }
table.data .num { text-align: right; white-space: nowrap; }
table.data code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
table.nodes { font-size: 12px; }
.nw { white-space: nowrap; }
.wrap { overflow-wrap: anywhere; }
.sub { color: var(--muted); font-size: 11.5px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 11px; font-weight: 600; white-space: nowrap; color: #fff; }
.badge.AT_RISK { background: var(--risk); } .badge.PENDING_REBOOT { background: var(--pending); }
.badge.UNKNOWN { background: var(--unknown); } .badge.UNREACHABLE { background: var(--unreachable); }
.badge.COMPLIANT { background: var(--ok); }
.sev { font-weight: 600; text-transform: capitalize; }
.sev.critical { color: #6d1414; } .sev.high { color: var(--risk); } .sev.medium { color: #9a6200; } .sev.low { color: var(--faint); }
.hang { display: inline-block; font-size: 10px; font-weight: 700; color: #fff; background: #6d1414; border-radius: 3px; padding: 0 4px; margin-left: 4px; text-transform: uppercase; }
.more { color: var(--muted); font-size: 12px; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 28px; }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
footer dt { font-weight: 600; }
footer dd { margin: 0; }
@page { margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  header.masthead { background: none; border-bottom: 2px solid var(--ink); }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  tr, .tile, svg.chart { break-inside: avoid; }
  thead { display: table-header-group; }
  table.data tbody tr:nth-child(even) td { background: none; }
}
`;
