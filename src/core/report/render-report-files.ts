import type { ComplianceReport } from './compliance-report.ts';
import { renderReportCsv } from './render-report-csv.ts';
import { type RenderHtmlOptions, renderReportHtml } from './render-report-html.ts';
import { renderReportJson } from './render-report-json.ts';

/** One file of a report, ready to write to a directory or to S3. */
export interface ReportFile {
  readonly name: 'report.html' | 'report.json' | 'report.csv';
  readonly contentType: string;
  readonly body: string;
}

/** The three files of a report: HTML for people, JSON for programs, CSV for spreadsheets. */
export function renderReportFiles(report: ComplianceReport, htmlOptions?: RenderHtmlOptions): ReportFile[] {
  return [
    {
      name: 'report.html',
      contentType: 'text/html; charset=utf-8',
      body: renderReportHtml(report, htmlOptions),
    },
    { name: 'report.json', contentType: 'application/json; charset=utf-8', body: renderReportJson(report) },
    { name: 'report.csv', contentType: 'text/csv; charset=utf-8', body: renderReportCsv(report) },
  ];
}
