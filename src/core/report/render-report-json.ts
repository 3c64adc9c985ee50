import type { ComplianceReport } from './compliance-report.ts';

/**
 * report.json: the report as indented JSON. `<`, `>`, `&` and the two Unicode line separators are
 * written as \u escapes (JSON.parse gives the same text back), so the file stays inert even if
 * someone pastes it into an HTML page or a script block.
 */
export function renderReportJson(report: ComplianceReport): string {
  return `${JSON.stringify(report, null, 2).replace(/[<>&\u2028\u2029]/g, escapeChar)}\n`;
}

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
