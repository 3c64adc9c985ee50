/**
 * Node states and scan runs for the report tests, built the way the scan builds them
 * (buildNodeState), so fingerprints and bounds are the real ones.
 */
import { buildNodeState, type NodeState } from '../../../src/core/store/node-state.ts';
import { emptySeverityCounts, emptyStatusCounts, type ScanRun } from '../../../src/core/store/scan-run.ts';
import type { FactsSummary, PendingFix, Severity, VerdictStatus } from '../../../src/core/verdict.ts';
import { makeFinding } from '../store/store-fixtures.ts';

export interface StateSpec {
  readonly node: string;
  readonly runId: string;
  readonly at: string;
  readonly status?: VerdictStatus;
  /** [advisory id, severity, hang in progress?] */
  readonly findings?: readonly (readonly [string, Severity, boolean?])[];
  readonly pending?: readonly PendingFix[];
  readonly hostname?: string;
  readonly facts?: FactsSummary;
  readonly tags?: Readonly<Record<string, string>>;
  readonly ssmStatus?: string;
  readonly reasons?: readonly string[];
}

export const DEFAULT_FACTS: FactsSummary = {
  os: 'Ubuntu 20.04.6 LTS',
  kernel: '5.4.0-170-generic',
  systemd: '245.4-4ubuntu3.23',
  runc: '1.1.7',
};

export function nodeState(spec: StateSpec): NodeState {
  const findings = (spec.findings ?? []).map(([id, severity, hang]) =>
    makeFinding(id, severity, hang ?? false),
  );
  const status = spec.status ?? (findings.length > 0 ? 'AT_RISK' : 'COMPLIANT');
  return buildNodeState(
    {
      node: spec.node,
      ...(spec.hostname === undefined ? { hostname: `${spec.node}.internal` } : { hostname: spec.hostname }),
      status,
      findings,
      pending: spec.pending ?? [],
      reasons: spec.reasons ?? [],
      facts: spec.facts ?? (status === 'UNREACHABLE' ? {} : DEFAULT_FACTS),
    },
    {
      runId: spec.runId,
      lastSeen: new Date(spec.at),
      tags: spec.tags ?? { cluster: 'prod-a' },
      ...(spec.ssmStatus === undefined ? {} : { ssmStatus: spec.ssmStatus }),
    },
  );
}

export function scanRun(
  runId: string,
  startedAt: string,
  status: ScanRun['status'] = 'COMPLETE',
  counts: {
    targeted?: number;
    byStatus?: Partial<Record<VerdictStatus, number>>;
    missing?: readonly string[];
  } = {},
): ScanRun {
  const byStatus = { ...emptyStatusCounts(), ...counts.byStatus };
  const targeted = counts.targeted ?? Object.values(byStatus).reduce((a, b) => a + b, 0);
  return {
    runId,
    status,
    targets: 'tag:fleet-compliance=enabled',
    commandIds: [`cmd-${runId}`],
    startedAt,
    ...(status === 'RUNNING' ? {} : { finishedAt: new Date(Date.parse(startedAt) + 600_000).toISOString() }),
    targeted,
    byStatus,
    byAdvisory: {},
    bySeverity: emptySeverityCounts(),
    coverage: { missing: counts.missing?.length ?? 0, missingNodes: counts.missing ?? [] },
    notes: [],
  };
}

/** Status counts of the states a run holds, as the scan would have recorded them. */
export function countStatuses(states: readonly NodeState[]): Record<VerdictStatus, number> {
  const counts = emptyStatusCounts();
  for (const s of states) counts[s.status] += 1;
  return counts;
}
