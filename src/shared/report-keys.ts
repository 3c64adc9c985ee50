/**
 * Where reports live in the report bucket: the report Lambda writes them there and the stack's
 * IAM grants name the same keys. Data only (imports nothing) so lib/ may depend on it.
 */

/** Top folder of every report object: `reports/<date>/<run>/...` and `reports/latest/...`. */
export const REPORT_ROOT = 'reports';

/** The folder that always holds the newest report, under a root. */
export function latestReportPrefix(root: string = REPORT_ROOT): string {
  return `${root}/latest/`;
}

/** The one object the report Lambda reads back: the previous report's JSON. */
export function latestReportKey(root: string = REPORT_ROOT): string {
  return `${latestReportPrefix(root)}report.json`;
}
