import { REPORT_FORMAT_VERSION } from './compliance-report.ts';

/**
 * What an earlier report tells about the scan it described: which nodes it had. The store cannot
 * tell a new node from an old steady one (see ReportChanges.newNodes), an earlier report can.
 */
export interface ReportBaseline {
  readonly scanRunId: string;
  readonly nodes: ReadonlySet<string>;
  /** The earlier report's own comparison, reused when a report of the same scan is built again. */
  readonly previousScanRunId?: string;
  readonly newNodes?: readonly string[];
}

/**
 * Reads the baseline out of an earlier report.json (already JSON-parsed). Anything that is not a
 * report of this format gives undefined: the earlier file is a hint, never a reason to fail.
 */
export function readReportBaseline(json: unknown): ReportBaseline | undefined {
  if (!isRecord(json) || json.formatVersion !== REPORT_FORMAT_VERSION) return undefined;
  const scan = json.scan;
  if (!isRecord(scan) || typeof scan.runId !== 'string') return undefined;
  const nodes = nodeIds(json.nodes);
  if (nodes === undefined) return undefined;
  const changes = isRecord(json.changes) ? json.changes : {};
  const previous = isRecord(changes.previousScan) ? changes.previousScan.runId : undefined;
  const newNodes = changes.newNodesKnown === true ? nodeIds(changes.newNodes) : undefined;
  return {
    scanRunId: scan.runId,
    nodes: new Set(nodes),
    ...(typeof previous === 'string' ? { previousScanRunId: previous } : {}),
    ...(newNodes === undefined ? {} : { newNodes }),
  };
}

function nodeIds(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ids: string[] = [];
  for (const row of value) {
    if (!isRecord(row) || typeof row.node !== 'string') return undefined;
    ids.push(row.node);
  }
  return ids;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
