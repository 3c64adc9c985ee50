import type { StoredFinding } from '../store/node-state.ts';
import type { RunStatus } from '../store/scan-run.ts';
import type { FactsSummary, PendingFix, Severity, VerdictStatus } from '../verdict.ts';

/**
 * The compliance report as data: what report.json holds and what the CSV and HTML renderers
 * read. JSON-friendly (plain objects, arrays, strings, numbers, booleans; no Map, no Date). Every
 * string that came from a node (hostname, facts, tags, SSM status, reasons) is untrusted: the
 * renderers escape it.
 */
export const REPORT_FORMAT_VERSION = 1;

/** A scan run as the report shows it. */
export interface ReportScan {
  readonly runId: string;
  readonly status: RunStatus;
  readonly targets: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Nodes the run counted when it finished (the run item). */
  readonly targeted: number;
  readonly byStatus: Readonly<Record<VerdictStatus, number>>;
  readonly notes: readonly string[];
}

/** One node of the node table: its state in the latest scan (or, for `notInLatestScan`, its last known one). */
export interface ReportNode {
  readonly node: string;
  readonly hostname?: string;
  readonly status: VerdictStatus;
  /** Highest severity among the findings; absent without findings. */
  readonly maxSeverity?: Severity;
  readonly hangInProgress: boolean;
  /** Most urgent first. */
  readonly findings: readonly StoredFinding[];
  readonly findingsOmitted: number;
  readonly pending: readonly PendingFix[];
  readonly facts: FactsSummary;
  readonly tags: Readonly<Record<string, string>>;
  /** The cluster tag's value; absent when the node has none. */
  readonly cluster?: string;
  readonly ssmStatus?: string;
  readonly reasons: readonly string[];
  readonly lastSeen: string;
  /** The run that wrote the state shown. */
  readonly runId: string;
  /**
   * Set when a scan started after the report's scan already rewrote this node's item (a scan
   * running now, or one that failed part-way): the state shown is the one that run found.
   */
  readonly rescannedBy?: string;
}

/** Nodes sharing one value (an OS, a cluster), counted by status. */
export interface ReportGroup {
  readonly name: string;
  readonly nodes: number;
  readonly byStatus: Readonly<Record<VerdictStatus, number>>;
  readonly hangs: number;
}

/** One advisory and the nodes of the latest scan it affects. */
export interface ReportAdvisory {
  readonly id: string;
  /** From the advisory catalog when it knows the id. */
  readonly title?: string;
  readonly remediation?: string;
  /** The highest severity any node's finding carried. */
  readonly severity: Severity;
  readonly nodes: number;
  readonly hangs: number;
  /** Node ids, most urgent first. */
  readonly nodeIds: readonly string[];
}

/** A node in one of the change lists or the hang / pending lists. */
export interface ReportNodeRef {
  readonly node: string;
  readonly hostname?: string;
  readonly cluster?: string;
  readonly status: VerdictStatus;
  readonly advisories: readonly string[];
}

/** A node whose state changed between the previous scan and the latest one. */
export interface ReportChange extends ReportNodeRef {
  readonly from: VerdictStatus;
}

export interface ReportPending extends ReportNodeRef {
  readonly fixes: readonly PendingFix[];
}

export interface ReportChanges {
  /** The previous COMPLETE scan; absent when the latest is the first one still kept. */
  readonly previousScan?: Pick<ReportScan, 'runId' | 'startedAt' | 'finishedAt' | 'targeted'>;
  /** At risk or pending now, compliant before. */
  readonly newlyAtRisk: readonly ReportChange[];
  /** Compliant now, at risk or pending before. */
  readonly remediated: readonly ReportChange[];
  /** Unreachable now, reachable (any other status) before. */
  readonly newlyUnreachable: readonly ReportChange[];
  /** Every other change of state (other findings, unknown to at risk, ...). */
  readonly otherChanges: readonly ReportChange[];
  /**
   * Nodes in the latest scan that the previous one did not have. A steady node's store item is
   * rewritten by every scan, so the store alone cannot tell a new node from an old steady one:
   * this list is only known when the previous scan's report (its node list) was at hand.
   */
  readonly newNodes: readonly ReportNodeRef[];
  readonly newNodesKnown: boolean;
  /** Latest scan's node count minus the previous scan's (from the run items). */
  readonly fleetSizeChange?: number;
}

/** A point of the trend: one COMPLETE scan. */
export interface ReportTrendPoint {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly targeted: number;
  readonly byStatus: Readonly<Record<VerdictStatus, number>>;
}

export interface ReportCoverage {
  /** Nodes the targets selected that never answered (from the run item). */
  readonly missing: number;
  /** The first of them (the run keeps at most 100). */
  readonly missingNodes: readonly string[];
  /** UNREACHABLE nodes of the latest scan by the SSM status that made them so, most first. */
  readonly unreachableBySsmStatus: readonly { readonly ssmStatus: string; readonly nodes: number }[];
}

export interface ReportTotals {
  /** Nodes in the latest scan (rows of the node table); byStatus adds up to it. */
  readonly nodes: number;
  readonly byStatus: Readonly<Record<VerdictStatus, number>>;
  /** Nodes with a hang seen in progress. */
  readonly hangs: number;
  /** Nodes waiting for `systemctl daemon-reexec` / a reboot to run a fix already installed. */
  readonly pendingReexec: number;
  readonly pendingReboot: number;
  /** Nodes with findings, by their highest severity. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly notInLatestScan: number;
}

export interface ComplianceReport {
  readonly formatVersion: typeof REPORT_FORMAT_VERSION;
  readonly title: string;
  readonly generatedAt: string;
  /** One sentence a manager can read. */
  readonly summary: string;
  /** The latest COMPLETE scan: everything below describes it. */
  readonly scan: ReportScan;
  /** Scans started after it that have not completed (running, or failed part-way). */
  readonly newerScans: readonly Pick<ReportScan, 'runId' | 'status' | 'startedAt' | 'finishedAt'>[];
  readonly totals: ReportTotals;
  readonly byAdvisory: readonly ReportAdvisory[];
  readonly byOs: readonly ReportGroup[];
  readonly byCluster: readonly ReportGroup[];
  readonly hangs: readonly ReportNodeRef[];
  readonly pending: readonly ReportPending[];
  /** COMPLETE scans, oldest first, ending with the latest. */
  readonly trend: readonly ReportTrendPoint[];
  /** Scans in the trend's time span that did not complete (not plotted). */
  readonly incompleteScans: readonly Pick<ReportScan, 'runId' | 'status' | 'startedAt' | 'finishedAt'>[];
  readonly changes: ReportChanges;
  readonly coverage: ReportCoverage;
  /** The node table, most urgent first. */
  readonly nodes: readonly ReportNode[];
  /** Nodes whose newest state is older than the latest scan, with that state. */
  readonly notInLatestScan: readonly ReportNode[];
  /** Things a reader must know to trust the numbers (mismatches, scans in progress). */
  readonly warnings: readonly string[];
}
