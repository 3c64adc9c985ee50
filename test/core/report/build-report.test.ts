import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/core/report/build-report.ts';
import { NoCompleteScanError } from '../../../src/core/report/no-complete-scan-error.ts';
import type { NodeState } from '../../../src/core/store/node-state.ts';
import { VERDICT_STATUSES } from '../../../src/core/verdict.ts';
import { countStatuses, nodeState, scanRun } from './report-fixtures.ts';

const T0 = '2025-02-28T00:00:00.000Z';
const T1 = '2025-03-01T00:00:00.000Z';
const T2 = '2025-03-02T00:00:00.000Z';
const T3 = '2025-03-03T00:00:00.000Z';
const T4 = '2025-03-03T12:00:00.000Z';
const NOW = new Date('2025-03-03T18:00:00.000Z');

const at = (time: string, minutes = 1) => new Date(Date.parse(time) + minutes * 60_000).toISOString();

/**
 * Three complete scans r1 < r2 < r3 (r3 the latest) and a failed r0 before them. Histories as the
 * store keeps them, newest first: a steady node has one item rewritten by every scan.
 */
function histories(): NodeState[][] {
  return [
    // Steady and compliant since long before r2: one item, moved to r3.
    [nodeState({ node: 'n-steady', runId: 'r3', at: at(T3) })],
    // Compliant in r2, at risk in r3.
    [
      nodeState({
        node: 'n-newly-at-risk',
        runId: 'r3',
        at: at(T3),
        findings: [['RUNC-CVE-2024-21626', 'high']],
      }),
      nodeState({ node: 'n-newly-at-risk', runId: 'r2', at: at(T2) }),
    ],
    // Pending a reboot in r2 (so not compliant), compliant now.
    [
      nodeState({ node: 'n-remediated', runId: 'r3', at: at(T3) }),
      nodeState({
        node: 'n-remediated',
        runId: 'r2',
        at: at(T2),
        status: 'PENDING_REBOOT',
        pending: [
          { id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW', action: 'reboot', detail: 'kernel 5.4.0-150 still runs' },
        ],
      }),
    ],
    // At risk in r2, compliant now.
    [
      nodeState({ node: 'n-fixed', runId: 'r3', at: at(T3), tags: {} }),
      nodeState({
        node: 'n-fixed',
        runId: 'r2',
        at: at(T2),
        findings: [['RUNC-CVE-2019-5736', 'critical']],
        tags: {},
      }),
    ],
    // Reachable in r2, unreachable now.
    [
      nodeState({
        node: 'n-newly-unreachable',
        runId: 'r3',
        at: at(T3),
        status: 'UNREACHABLE',
        ssmStatus: 'TimedOut',
      }),
      nodeState({ node: 'n-newly-unreachable', runId: 'r2', at: at(T2) }),
    ],
    // Unreachable both times, for another SSM reason: a change, but not a newly unreachable node.
    [
      nodeState({
        node: 'n-still-unreachable',
        runId: 'r3',
        at: at(T3),
        status: 'UNREACHABLE',
        ssmStatus: 'Undeliverable',
      }),
      nodeState({
        node: 'n-still-unreachable',
        runId: 'r2',
        at: at(T2),
        status: 'UNREACHABLE',
        ssmStatus: 'TimedOut',
      }),
    ],
    // Steady, at risk with a hang in progress.
    [
      nodeState({
        node: 'n-hang',
        runId: 'r3',
        at: at(T3),
        findings: [
          ['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high', true],
          ['RUNC-CVE-2024-21626', 'high'],
        ],
        tags: { cluster: 'prod-b' },
        facts: { os: 'CentOS Linux 7 (Core)', kernel: '3.10.0-957.el7.x86_64', systemd: '219-62.el7_6.9' },
      }),
    ],
    // Steady, pending a re-exec.
    [
      nodeState({
        node: 'n-pending',
        runId: 'r3',
        at: at(T3),
        status: 'PENDING_REBOOT',
        pending: [
          {
            id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW',
            action: 'daemon-reexec',
            detail: 'PID 1 runs 219-62.el7_6.9',
          },
        ],
      }),
    ],
    // Last seen by r1: not in the latest scan.
    [nodeState({ node: 'n-gone', runId: 'r1', at: at(T1), findings: [['EL7-KMEM-LEAK', 'medium']] })],
    // Its previous item is from r1, not r2: absent from r2 or steady there, so no change is claimed.
    [
      nodeState({ node: 'n-returned', runId: 'r3', at: at(T3), findings: [['EL7-KMEM-LEAK', 'medium']] }),
      nodeState({ node: 'n-returned', runId: 'r1', at: at(T1) }),
    ],
    // One item from r3: new, or steady since before r2; only a baseline can tell.
    [
      nodeState({
        node: 'n-new',
        runId: 'r3',
        at: at(T3),
        findings: [['CGROUP-DRIVER-MISMATCH', 'low']],
        tags: { cluster: 'prod-b' },
      }),
    ],
  ];
}

function latestStates(h: NodeState[][]): NodeState[] {
  return h.map((history) => history[0]!).filter((s) => s.runId === 'r3');
}

function runs(h: NodeState[][] = histories()) {
  const latest = latestStates(h);
  return [
    scanRun('r0', T0, 'FAILED', { targeted: 3 }),
    scanRun('r1', T1, 'COMPLETE', { byStatus: { COMPLIANT: 8, AT_RISK: 1 } }),
    scanRun('r2', T2, 'COMPLETE', {
      byStatus: { COMPLIANT: 5, AT_RISK: 2, PENDING_REBOOT: 2, UNREACHABLE: 1 },
    }),
    scanRun('r3', T3, 'COMPLETE', { byStatus: countStatuses(latest), missing: ['n-newly-unreachable'] }),
  ];
}

describe('buildReport', () => {
  it('reports on the latest complete scan, with status counts adding up to its nodes', () => {
    const report = buildReport({ runs: runs(), histories: histories(), now: NOW });

    expect(report.scan.runId).toBe('r3');
    expect(report.totals.nodes).toBe(10);
    expect(report.nodes).toHaveLength(10);
    expect(VERDICT_STATUSES.reduce((sum, s) => sum + report.totals.byStatus[s], 0)).toBe(report.totals.nodes);
    expect(report.totals.byStatus).toEqual({
      AT_RISK: 4,
      PENDING_REBOOT: 1,
      COMPLIANT: 3,
      UNKNOWN: 0,
      UNREACHABLE: 2,
    });
    expect(report.scan.targeted).toBe(report.totals.nodes);
    expect(report.summary).toBe(
      '4 of 10 nodes are at risk; 1 shows a hang in progress; 1 waits for a re-exec or reboot to finish a fix; 2 could not be checked (2 unreachable).',
    );
    expect(report.generatedAt).toBe(NOW.toISOString());
  });

  it('orders the node table by urgency: at risk (hang first), pending, unreachable, compliant', () => {
    const report = buildReport({ runs: runs(), histories: histories(), now: NOW });

    expect(report.nodes.map((n) => n.node)).toEqual([
      'n-hang',
      'n-newly-at-risk',
      'n-returned',
      'n-new',
      'n-pending',
      'n-newly-unreachable',
      'n-still-unreachable',
      'n-fixed',
      'n-remediated',
      'n-steady',
    ]);
    expect(report.nodes[0]).toMatchObject({ maxSeverity: 'high', hangInProgress: true, cluster: 'prod-b' });
  });

  it('finds what changed since the previous complete scan', () => {
    const { changes } = buildReport({ runs: runs(), histories: histories(), now: NOW });

    expect(changes.previousScan?.runId).toBe('r2');
    expect(changes.newlyAtRisk.map((c) => [c.node, c.from, c.status])).toEqual([
      ['n-newly-at-risk', 'COMPLIANT', 'AT_RISK'],
    ]);
    expect(changes.newlyAtRisk[0]!.advisories).toEqual(['RUNC-CVE-2024-21626']);
    expect(changes.remediated.map((c) => [c.node, c.from])).toEqual([
      ['n-fixed', 'AT_RISK'],
      ['n-remediated', 'PENDING_REBOOT'],
    ]);
    expect(changes.newlyUnreachable.map((c) => c.node)).toEqual(['n-newly-unreachable']);
    expect(changes.otherChanges.map((c) => c.node)).toEqual(['n-still-unreachable']);
    // Steady nodes, the returned one and the possibly new one claim no change.
    const changed = [
      ...changes.newlyAtRisk,
      ...changes.remediated,
      ...changes.newlyUnreachable,
      ...changes.otherChanges,
    ];
    expect(changed.map((c) => c.node)).not.toContain('n-returned');
    expect(changes.fleetSizeChange).toBe(10 - 10);
  });

  it('says new nodes are not known without an earlier report', () => {
    const { changes } = buildReport({ runs: runs(), histories: histories(), now: NOW });

    expect(changes.newNodesKnown).toBe(false);
    expect(changes.newNodes).toEqual([]);
  });

  it("names the new nodes from the previous scan's report", () => {
    const previousNodes = [
      'n-steady',
      'n-newly-at-risk',
      'n-remediated',
      'n-fixed',
      'n-newly-unreachable',
      'n-still-unreachable',
      'n-hang',
      'n-pending',
      'n-gone',
    ];
    const { changes } = buildReport({
      runs: runs(),
      histories: histories(),
      now: NOW,
      baseline: { scanRunId: 'r2', nodes: new Set(previousNodes) },
    });

    expect(changes.newNodesKnown).toBe(true);
    expect(changes.newNodes.map((n) => [n.node, n.status])).toEqual([
      ['n-returned', 'AT_RISK'],
      ['n-new', 'AT_RISK'],
    ]);
  });

  it('keeps the new nodes an earlier report of the same scan found, and ignores a baseline of another scan', () => {
    const same = buildReport({
      runs: runs(),
      histories: histories(),
      now: NOW,
      baseline: { scanRunId: 'r3', nodes: new Set(), previousScanRunId: 'r2', newNodes: ['n-new'] },
    });
    const other = buildReport({
      runs: runs(),
      histories: histories(),
      now: NOW,
      baseline: { scanRunId: 'r1', nodes: new Set(['n-steady']) },
    });

    expect(same.changes.newNodes.map((n) => n.node)).toEqual(['n-new']);
    expect(other.changes.newNodesKnown).toBe(false);
  });

  it('lists nodes whose newest state predates the latest scan separately, with that state', () => {
    const report = buildReport({ runs: runs(), histories: histories(), now: NOW });

    expect(report.notInLatestScan.map((n) => [n.node, n.status, n.runId])).toEqual([
      ['n-gone', 'AT_RISK', 'r1'],
    ]);
    expect(report.totals.notInLatestScan).toBe(1);
    expect(report.nodes.map((n) => n.node)).not.toContain('n-gone');
    // Its finding is not counted with the latest scan's advisories.
    expect(report.byAdvisory.find((a) => a.id === 'EL7-KMEM-LEAK')?.nodeIds).toEqual(['n-returned']);
  });

  it('lists hangs in progress and nodes waiting for a re-exec or reboot', () => {
    const report = buildReport({ runs: runs(), histories: histories(), now: NOW });

    expect(report.hangs).toEqual([
      {
        node: 'n-hang',
        hostname: 'n-hang.internal',
        cluster: 'prod-b',
        status: 'AT_RISK',
        advisories: ['SYSTEMD-DBUS-COOKIE-OVERFLOW'],
      },
    ]);
    expect(report.totals.hangs).toBe(1);
    expect(report.pending.map((p) => [p.node, p.fixes.map((f) => f.action)])).toEqual([
      ['n-pending', ['daemon-reexec']],
    ]);
    expect(report.totals).toMatchObject({ pendingReexec: 1, pendingReboot: 0 });
  });

  it('groups at-risk nodes by advisory, by severity, by cluster and by OS', () => {
    const report = buildReport({
      runs: runs(),
      histories: histories(),
      now: NOW,
      advisories: [
        { id: 'RUNC-CVE-2024-21626', title: 'runc leaks a file descriptor', remediation: 'upgrade runc' },
      ],
    });

    expect(report.byAdvisory.map((a) => [a.id, a.nodes, a.hangs])).toEqual([
      ['RUNC-CVE-2024-21626', 2, 0],
      ['SYSTEMD-DBUS-COOKIE-OVERFLOW', 1, 1],
      ['EL7-KMEM-LEAK', 1, 0],
      ['CGROUP-DRIVER-MISMATCH', 1, 0],
    ]);
    expect(report.byAdvisory[0]).toMatchObject({
      title: 'runc leaks a file descriptor',
      nodeIds: ['n-hang', 'n-newly-at-risk'],
    });
    expect(report.totals.bySeverity).toEqual({ critical: 0, high: 2, medium: 1, low: 1 });
    expect(report.byCluster.map((g) => [g.name, g.nodes, g.byStatus.AT_RISK])).toEqual([
      ['prod-a', 7, 2],
      ['prod-b', 2, 2],
      ['(none)', 1, 0],
    ]);
    expect(report.byOs.find((g) => g.name === '(unknown)')?.byStatus.UNREACHABLE).toBe(2);
    expect(report.byOs.reduce((sum, g) => sum + g.nodes, 0)).toBe(report.totals.nodes);
  });

  it('draws the trend from complete scans only, oldest first, and names the others', () => {
    const report = buildReport({ runs: [...runs()].reverse(), histories: histories(), now: NOW });
    const short = buildReport({ runs: runs(), histories: histories(), now: NOW, trendRuns: 2 });

    expect(report.trend.map((p) => p.runId)).toEqual(['r1', 'r2', 'r3']);
    expect(report.trend[1]!.byStatus.PENDING_REBOOT).toBe(2);
    expect(report.incompleteScans).toEqual([]);
    expect(short.trend.map((p) => p.runId)).toEqual(['r2', 'r3']);
    const withFailure = buildReport({
      runs: [...runs(), scanRun('r2b', '2025-03-02T12:00:00.000Z', 'FAILED')],
      histories: histories(),
      now: NOW,
    });
    expect(withFailure.incompleteScans.map((s) => [s.runId, s.status])).toEqual([['r2b', 'FAILED']]);
    expect(withFailure.trend.map((p) => p.runId)).toEqual(['r1', 'r2', 'r3']);
  });

  it('reports the coverage: never-answered nodes and unreachable nodes by SSM status', () => {
    const { coverage } = buildReport({ runs: runs(), histories: histories(), now: NOW });

    expect(coverage.missing).toBe(1);
    expect(coverage.missingNodes).toEqual(['n-newly-unreachable']);
    expect(coverage.unreachableBySsmStatus).toEqual([
      { ssmStatus: 'TimedOut', nodes: 1 },
      { ssmStatus: 'Undeliverable', nodes: 1 },
    ]);
  });

  it('keeps nodes a newer, unfinished scan already rewrote, and says so', () => {
    // r4 is running: it rewrote the steady node's item (same state) and gave n-hang a new state.
    const h = histories();
    h[0] = [nodeState({ node: 'n-steady', runId: 'r4', at: at(T4) })];
    h[6] = [nodeState({ node: 'n-hang', runId: 'r4', at: at(T4) }), ...h[6]!];
    const report = buildReport({
      runs: [...runs(histories()), scanRun('r4', T4, 'RUNNING')],
      histories: h,
      now: NOW,
    });

    expect(report.scan.runId).toBe('r3');
    expect(report.totals.nodes).toBe(10);
    expect(report.nodes.find((n) => n.node === 'n-steady')).toMatchObject({
      status: 'COMPLIANT',
      rescannedBy: 'r4',
    });
    // The hang node's state as of r3 is its r3 item, not the newer one.
    expect(report.nodes.find((n) => n.node === 'n-hang')).toMatchObject({ status: 'AT_RISK', runId: 'r3' });
    expect(report.newerScans.map((s) => [s.runId, s.status])).toEqual([['r4', 'RUNNING']]);
    expect(report.warnings.join('\n')).toMatch(
      /Scan r4 .* is still running; .* re-scanned 1 node without change/,
    );
  });

  it('warns when the stored states do not match what the scan recorded', () => {
    const mismatched = runs().map((r) =>
      r.runId === 'r3' ? { ...r, targeted: 12, byStatus: { ...r.byStatus, COMPLIANT: 5 } } : r,
    );
    const report = buildReport({ runs: mismatched, histories: histories(), now: NOW });

    expect(report.warnings[0]).toBe(
      'The scan recorded 12 nodes but the store holds 10 node states for it (COMPLIANT 5 recorded, 3 stored); the tables show the stored states.',
    );
    expect(report.totals.nodes).toBe(10);
  });

  it('leaves expired states out', () => {
    const h = histories();
    const expired = { ...h[0]![0]!, expiresAt: Math.floor(NOW.getTime() / 1000) - 1 };
    h[0] = [expired];
    const report = buildReport({ runs: runs(histories()), histories: h, now: NOW });

    expect(report.nodes.map((n) => n.node)).not.toContain('n-steady');
  });

  it('has nothing to compare with on the first complete scan', () => {
    const only = [[nodeState({ node: 'a', runId: 'r1', at: at(T1) })]];
    const report = buildReport({
      runs: [scanRun('r1', T1, 'COMPLETE', { byStatus: { COMPLIANT: 1 } })],
      histories: only,
      now: NOW,
    });

    expect(report.changes.previousScan).toBeUndefined();
    expect(report.changes.newNodesKnown).toBe(false);
    expect(report.summary).toBe('The only node is compliant.');
  });

  it('throws NoCompleteScanError when no scan has completed', () => {
    expect(() => buildReport({ runs: [scanRun('r0', T0, 'RUNNING')], histories: [], now: NOW })).toThrow(
      NoCompleteScanError,
    );
    expect(() => buildReport({ runs: [], histories: [], now: NOW })).toThrow(
      'no complete scan in the store yet',
    );
  });
});
