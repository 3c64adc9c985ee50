import { isExpired } from '../store/attention.ts';
import type { NodeState } from '../store/node-state.ts';
import { emptySeverityCounts, emptyStatusCounts, type ScanRun } from '../store/scan-run.ts';
import { urgencyDigit } from '../store/table-keys.ts';
import { highestSeverity, type Severity, severityRank, type VerdictStatus } from '../verdict.ts';
import {
  type ComplianceReport,
  REPORT_FORMAT_VERSION,
  type ReportAdvisory,
  type ReportChange,
  type ReportChanges,
  type ReportGroup,
  type ReportNode,
  type ReportNodeRef,
  type ReportPending,
  type ReportScan,
  type ReportTotals,
} from './compliance-report.ts';
import { countOf, formatCount } from './format-count.ts';
import { NoCompleteScanError } from './no-complete-scan-error.ts';
import type { ReportBaseline } from './report-baseline.ts';
import { summarizeTotals } from './report-summary.ts';
import { resolveScanState } from './resolve-scan-state.ts';

/** What the report shows of an advisory the catalog knows (findings in the store carry only the id). */
export interface AdvisoryInfo {
  readonly id: string;
  readonly title: string;
  readonly remediation: string;
}

export interface BuildReportInput {
  /** Scan runs, any order and status (store.listRuns): the latest COMPLETE one is reported on. */
  readonly runs: readonly ScanRun[];
  /** Every node's states, newest first (store.listNodeHistories). */
  readonly histories: readonly (readonly NodeState[])[];
  readonly now: Date;
  readonly title?: string;
  /** COMPLETE scans the trend shows. Default DEFAULT_TREND_RUNS. */
  readonly trendRuns?: number;
  /** Titles and remediation by advisory id (the catalog the scans used). */
  readonly advisories?: readonly AdvisoryInfo[];
  /** The node list of an earlier report: what makes "new nodes" knowable. */
  readonly baseline?: ReportBaseline;
  /** Tag whose value names a node's cluster. Default `cluster`. */
  readonly clusterTag?: string;
}

export const DEFAULT_REPORT_TITLE = 'Fleet compliance report';
export const DEFAULT_TREND_RUNS = 14;
export const DEFAULT_CLUSTER_TAG = 'cluster';
/** Group names for nodes without the value. */
export const NO_CLUSTER = '(none)';
export const NO_OS = '(unknown)';
export const NO_SSM_STATUS = '(not recorded)';

const STATUS_ORDER: Readonly<Record<VerdictStatus, number>> = {
  AT_RISK: 0,
  PENDING_REBOOT: 1,
  UNKNOWN: 2,
  UNREACHABLE: 3,
  COMPLIANT: 4,
};

/**
 * Builds the compliance report of the latest COMPLETE scan from the store's runs and node
 * histories. Pure: the time comes in as `now`.
 *
 * How changes are found (node items are keyed by a fingerprint of the state, see
 * resolveScanState): a node changed in the latest scan L iff its state in L follows an item
 * written by the previous COMPLETE scan P. A node whose newest state predates L is listed in
 * `notInLatestScan`, never dropped.
 *
 * @throws NoCompleteScanError when no run is COMPLETE.
 * @example buildReport({ runs: await store.listRuns({ limit: 100, now }), histories: await store.listNodeHistories(now), now })
 */
export function buildReport(input: BuildReportInput): ComplianceReport {
  const runs = [...input.runs].sort(compareRunsNewestFirst);
  const latestIndex = runs.findIndex((r) => r.status === 'COMPLETE');
  if (latestIndex < 0) throw new NoCompleteScanError();
  const latest = runs[latestIndex]!;
  const previous = runs.slice(latestIndex + 1).find((r) => r.status === 'COMPLETE');
  const newer = runs.slice(0, latestIndex);
  const newerIds = new Set(newer.map((r) => r.runId));
  const clusterTag = input.clusterTag ?? DEFAULT_CLUSTER_TAG;

  const nodes: ReportNode[] = [];
  const notInLatestScan: ReportNode[] = [];
  const previousStates = new Map<string, NodeState>();
  for (const rawHistory of input.histories) {
    const history = rawHistory.filter((s) => !isExpired(s, input.now));
    const states = resolveScanState(history, latest.runId, newerIds);
    if (states.current) {
      nodes.push(toReportNode(states.current, clusterTag, states.rescannedBy));
      if (states.previous) previousStates.set(states.current.node, states.previous);
    } else if (states.previous) {
      notInLatestScan.push(toReportNode(states.previous, clusterTag));
    }
  }
  nodes.sort(compareUrgency);
  notInLatestScan.sort((a, b) =>
    a.lastSeen > b.lastSeen ? -1 : a.lastSeen < b.lastSeen ? 1 : compareIds(a.node, b.node),
  );

  const totals = countTotals(nodes, notInLatestScan.length);
  const trendRuns = Math.max(1, input.trendRuns ?? DEFAULT_TREND_RUNS);
  const trendSource = runs
    .filter((r) => r.status === 'COMPLETE')
    .slice(0, trendRuns)
    .reverse();
  const trendStart = trendSource[0]!.startedAt;

  return {
    formatVersion: REPORT_FORMAT_VERSION,
    title: input.title ?? DEFAULT_REPORT_TITLE,
    generatedAt: input.now.toISOString(),
    summary: summarizeTotals(totals),
    scan: toReportScan(latest),
    newerScans: [...newer].reverse().map(toScanRef),
    totals,
    byAdvisory: groupByAdvisory(nodes, input.advisories ?? []),
    byOs: groupBy(nodes, (n) => n.facts.os ?? NO_OS),
    byCluster: groupBy(nodes, (n) => n.cluster ?? NO_CLUSTER),
    hangs: nodes
      .filter((n) => n.hangInProgress)
      .map((n) =>
        toRef(
          n,
          n.findings.filter((f) => f.hangInProgress),
        ),
      ),
    pending: nodes.filter((n) => n.pending.length > 0).map(toPending),
    trend: trendSource.map((r) => ({
      runId: r.runId,
      startedAt: r.startedAt,
      ...(r.finishedAt === undefined ? {} : { finishedAt: r.finishedAt }),
      targeted: r.targeted,
      byStatus: { ...emptyStatusCounts(), ...r.byStatus },
    })),
    incompleteScans: runs
      .filter((r) => r.status !== 'COMPLETE' && r.startedAt >= trendStart)
      .reverse()
      .map(toScanRef),
    changes: findChanges(nodes, previousStates, latest, previous, input.baseline),
    coverage: {
      missing: latest.coverage.missing,
      missingNodes: latest.coverage.missingNodes,
      unreachableBySsmStatus: countUnreachable(nodes),
    },
    nodes,
    notInLatestScan,
    warnings: findWarnings(latest, newer, nodes, totals),
  };
}

function toReportNode(state: NodeState, clusterTag: string, rescannedBy?: string): ReportNode {
  const cluster = Object.hasOwn(state.tags, clusterTag) ? state.tags[clusterTag] : undefined;
  const maxSeverity = highestSeverity(state.findings.map((f) => f.severity));
  return {
    node: state.node,
    ...(state.hostname === undefined ? {} : { hostname: state.hostname }),
    status: state.status,
    ...(maxSeverity === undefined ? {} : { maxSeverity }),
    hangInProgress: state.findings.some((f) => f.hangInProgress),
    findings: state.findings,
    findingsOmitted: state.findingsOmitted,
    pending: state.pending,
    facts: state.facts,
    tags: state.tags,
    ...(cluster === undefined ? {} : { cluster }),
    ...(state.ssmStatus === undefined ? {} : { ssmStatus: state.ssmStatus }),
    reasons: state.reasons,
    lastSeen: state.lastSeen,
    runId: state.runId,
    ...(rescannedBy === undefined ? {} : { rescannedBy }),
  };
}

function toReportScan(run: ScanRun): ReportScan {
  return {
    runId: run.runId,
    status: run.status,
    targets: run.targets,
    startedAt: run.startedAt,
    ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt }),
    targeted: run.targeted,
    byStatus: { ...emptyStatusCounts(), ...run.byStatus },
    notes: run.notes,
  };
}

function toScanRef(run: ScanRun): Pick<ReportScan, 'runId' | 'status' | 'startedAt' | 'finishedAt'> {
  return {
    runId: run.runId,
    status: run.status,
    startedAt: run.startedAt,
    ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt }),
  };
}

function toRef(node: ReportNode, findings: readonly { id: string }[] = node.findings): ReportNodeRef {
  return {
    node: node.node,
    ...(node.hostname === undefined ? {} : { hostname: node.hostname }),
    ...(node.cluster === undefined ? {} : { cluster: node.cluster }),
    status: node.status,
    advisories: findings.map((f) => f.id),
  };
}

function toPending(node: ReportNode): ReportPending {
  return { ...toRef(node, node.pending), fixes: node.pending };
}

function countTotals(nodes: readonly ReportNode[], notInLatestScan: number): ReportTotals {
  const byStatus = emptyStatusCounts();
  const bySeverity = emptySeverityCounts();
  let hangs = 0;
  let pendingReexec = 0;
  let pendingReboot = 0;
  for (const node of nodes) {
    byStatus[node.status] += 1;
    if (node.maxSeverity) bySeverity[node.maxSeverity] += 1;
    if (node.hangInProgress) hangs += 1;
    if (node.pending.some((p) => p.action === 'daemon-reexec')) pendingReexec += 1;
    if (node.pending.some((p) => p.action === 'reboot')) pendingReboot += 1;
  }
  return { nodes: nodes.length, byStatus, hangs, pendingReexec, pendingReboot, bySeverity, notInLatestScan };
}

function groupByAdvisory(nodes: readonly ReportNode[], catalog: readonly AdvisoryInfo[]): ReportAdvisory[] {
  const info = new Map(catalog.map((a) => [a.id, a]));
  const groups = new Map<string, { severity: Severity; hangs: number; nodeIds: string[] }>();
  for (const node of nodes) {
    for (const finding of node.findings) {
      let group = groups.get(finding.id);
      if (!group) {
        group = { severity: finding.severity, hangs: 0, nodeIds: [] };
        groups.set(finding.id, group);
      }
      if (severityRank(finding.severity) > severityRank(group.severity)) group.severity = finding.severity;
      if (finding.hangInProgress) group.hangs += 1;
      group.nodeIds.push(node.node);
    }
  }
  return [...groups.entries()]
    .map(([id, g]): ReportAdvisory => {
      const known = info.get(id);
      return {
        id,
        ...(known ? { title: known.title, remediation: known.remediation } : {}),
        severity: g.severity,
        nodes: g.nodeIds.length,
        hangs: g.hangs,
        nodeIds: g.nodeIds,
      };
    })
    .sort(
      (a, b) =>
        b.nodes - a.nodes || severityRank(b.severity) - severityRank(a.severity) || compareIds(a.id, b.id),
    );
}

function groupBy(nodes: readonly ReportNode[], keyOf: (node: ReportNode) => string): ReportGroup[] {
  const groups = new Map<string, { nodes: number; byStatus: Record<VerdictStatus, number>; hangs: number }>();
  for (const node of nodes) {
    const key = keyOf(node);
    let group = groups.get(key);
    if (!group) {
      group = { nodes: 0, byStatus: emptyStatusCounts(), hangs: 0 };
      groups.set(key, group);
    }
    group.nodes += 1;
    group.byStatus[node.status] += 1;
    if (node.hangInProgress) group.hangs += 1;
  }
  return [...groups.entries()]
    .map(([name, g]) => ({ name, ...g }))
    .sort(
      (a, b) =>
        b.byStatus.AT_RISK - a.byStatus.AT_RISK ||
        b.byStatus.PENDING_REBOOT - a.byStatus.PENDING_REBOOT ||
        b.nodes - a.nodes ||
        compareIds(a.name, b.name),
    );
}

function countUnreachable(nodes: readonly ReportNode[]): { ssmStatus: string; nodes: number }[] {
  const counts = new Map<string, number>();
  for (const node of nodes) {
    if (node.status !== 'UNREACHABLE') continue;
    const key = node.ssmStatus ?? NO_SSM_STATUS;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([ssmStatus, count]) => ({ ssmStatus, nodes: count }))
    .sort((a, b) => b.nodes - a.nodes || compareIds(a.ssmStatus, b.ssmStatus));
}

const AT_RISK_OR_PENDING: ReadonlySet<VerdictStatus> = new Set(['AT_RISK', 'PENDING_REBOOT']);

function findChanges(
  nodes: readonly ReportNode[],
  previousStates: ReadonlyMap<string, NodeState>,
  latest: ScanRun,
  previous: ScanRun | undefined,
  baseline: ReportBaseline | undefined,
): ReportChanges {
  const newlyAtRisk: ReportChange[] = [];
  const remediated: ReportChange[] = [];
  const newlyUnreachable: ReportChange[] = [];
  const otherChanges: ReportChange[] = [];
  const inPrevious = new Set<string>();
  if (previous) {
    for (const node of nodes) {
      const before = previousStates.get(node.node);
      if (before?.runId !== previous.runId) continue;
      inPrevious.add(node.node);
      const change: ReportChange = { ...toRef(node), from: before.status };
      if (AT_RISK_OR_PENDING.has(node.status) && before.status === 'COMPLIANT') newlyAtRisk.push(change);
      else if (node.status === 'COMPLIANT' && AT_RISK_OR_PENDING.has(before.status))
        remediated.push(change);
      else if (node.status === 'UNREACHABLE' && before.status !== 'UNREACHABLE')
        newlyUnreachable.push(change);
      else otherChanges.push(change);
    }
  }

  const newIds = previous ? newNodeIds(nodes, latest, previous, baseline, inPrevious) : undefined;
  const newNodes = newIds === undefined ? [] : nodes.filter((n) => newIds.has(n.node)).map((n) => toRef(n));
  return {
    ...(previous
      ? {
          previousScan: {
            runId: previous.runId,
            startedAt: previous.startedAt,
            ...(previous.finishedAt === undefined ? {} : { finishedAt: previous.finishedAt }),
            targeted: previous.targeted,
          },
          fleetSizeChange: latest.targeted - previous.targeted,
        }
      : {}),
    newlyAtRisk,
    remediated,
    newlyUnreachable,
    otherChanges,
    newNodes,
    newNodesKnown: newIds !== undefined,
  };
}

/**
 * New nodes need the previous scan's node list, which only an earlier report has: the report of
 * the previous scan itself, or an earlier report of this same scan that already knew them.
 */
function newNodeIds(
  nodes: readonly ReportNode[],
  latest: ScanRun,
  previous: ScanRun,
  baseline: ReportBaseline | undefined,
  inPrevious: ReadonlySet<string>,
): Set<string> | undefined {
  if (!baseline) return undefined;
  if (baseline.scanRunId === previous.runId) {
    return new Set(nodes.map((n) => n.node).filter((id) => !baseline.nodes.has(id) && !inPrevious.has(id)));
  }
  if (
    baseline.scanRunId === latest.runId &&
    baseline.previousScanRunId === previous.runId &&
    baseline.newNodes !== undefined
  ) {
    return new Set(baseline.newNodes.filter((id) => !inPrevious.has(id)));
  }
  return undefined;
}

function findWarnings(
  latest: ScanRun,
  newer: readonly ScanRun[],
  nodes: readonly ReportNode[],
  totals: ReportTotals,
): string[] {
  const warnings: string[] = [];
  const recorded = { ...emptyStatusCounts(), ...latest.byStatus };
  const differing = (Object.keys(recorded) as VerdictStatus[]).filter(
    (s) => recorded[s] !== totals.byStatus[s],
  );
  if (latest.targeted !== totals.nodes || differing.length > 0) {
    const detail = differing.map(
      (s) => `${s} ${formatCount(recorded[s])} recorded, ${formatCount(totals.byStatus[s])} stored`,
    );
    warnings.push(
      `The scan recorded ${countOf(latest.targeted, 'node')} but the store holds ${countOf(totals.nodes, 'node state')} for it` +
        `${detail.length > 0 ? ` (${detail.join('; ')})` : ''}; the tables show the stored states.`,
    );
  }
  for (const run of newer) {
    const rescanned = nodes.filter((n) => n.rescannedBy === run.runId).length;
    const what = run.status === 'RUNNING' ? 'is still running' : 'did not complete';
    warnings.push(
      `Scan ${run.runId} (started ${run.startedAt}) ${what}; it is not reported on.` +
        (rescanned > 0
          ? ` It had already re-scanned ${countOf(rescanned, 'node')} without change; they are counted here with the state it found.`
          : ''),
    );
  }
  const truncated = nodes.filter((n) => n.findingsOmitted > 0).length;
  if (truncated > 0) {
    warnings.push(
      `${countOf(truncated, 'node')} had more findings than the store keeps per node; the extra findings are counted on the node, not named.`,
    );
  }
  if (latest.coverage.missing > 0) {
    warnings.push(
      `${countOf(latest.coverage.missing, 'node')} selected by the targets never answered this scan (see Coverage).`,
    );
  }
  return warnings;
}

/** At risk first, then pending, unknown, unreachable, compliant; within a status a hang, then severity; then id. */
function compareUrgency(a: ReportNode, b: ReportNode): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    compareIds(urgencyDigit(a.findings), urgencyDigit(b.findings)) ||
    compareIds(a.node, b.node)
  );
}

function compareRunsNewestFirst(a: ScanRun, b: ScanRun): number {
  return compareIds(b.startedAt, a.startedAt) || compareIds(b.runId, a.runId);
}


function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
