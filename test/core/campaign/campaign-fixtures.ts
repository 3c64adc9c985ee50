/**
 * Node states for campaign and at-risk tests, built directly (not from verdicts) so a test can say
 * exactly which findings, pending fixes, tags and facts a node has. Advisory ids are those of the
 * shipped catalog (advisories/catalog.json).
 */
import type { NodeState, StoredFinding } from '../../../src/core/store/node-state.ts';
import type { FactsSummary, PendingFix, Severity, VerdictStatus } from '../../../src/core/verdict.ts';

export const T_SCAN = '2026-11-30T08:00:00.000Z';
export const T_PLAN = new Date('2026-11-30T09:00:00.000Z');

/** A CentOS 7 node with docker, runc and kubelet: every component present. */
export const EL7_FACTS: FactsSummary = {
  os: 'CentOS Linux 7 (Core)',
  kernel: '3.10.0-957.el7.x86_64',
  systemd: '219-62.el7_6.9',
  docker: '18.09.1',
  containerd: '1.2.2',
  runc: '1.0.0-rc6',
  kubelet: 'v1.13.4',
  cgroup: 'tmpfs',
  uptimeSeconds: 200 * 86_400,
};

/** An Ubuntu 22.04 containerd node: no docker. */
export const CONTAINERD_FACTS: FactsSummary = {
  os: 'Ubuntu 22.04.4 LTS',
  kernel: '5.15.0-105-generic',
  systemd: '249.11-0ubuntu3.12',
  containerd: '1.7.2',
  runc: '1.1.7',
  kubelet: 'v1.29.3',
  cgroup: 'cgroup2fs',
  uptimeSeconds: 12 * 86_400,
};

export interface StateSpec {
  readonly node: string;
  readonly status?: VerdictStatus;
  /** `[id, severity, hang?]`. */
  readonly findings?: readonly (readonly [string, Severity, boolean?])[];
  readonly pending?: readonly PendingFix[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly facts?: FactsSummary;
  readonly hostname?: string;
  readonly reasons?: readonly string[];
  readonly lastSeen?: string;
  readonly runId?: string;
  readonly findingsOmitted?: number;
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

export function makeState(spec: StateSpec): NodeState {
  const findings: StoredFinding[] = (spec.findings ?? [])
    .map(([id, severity, hang]) => ({ id, severity, hangInProgress: hang ?? false }))
    .sort(
      (a, b) =>
        Number(b.hangInProgress) - Number(a.hangInProgress) ||
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        (a.id < b.id ? -1 : 1),
    );
  const lastSeen = spec.lastSeen ?? T_SCAN;
  return {
    node: spec.node,
    ...(spec.hostname === undefined ? {} : { hostname: spec.hostname }),
    runId: spec.runId ?? 'run-1',
    status:
      spec.status ??
      (findings.length > 0 ? 'AT_RISK' : (spec.pending?.length ?? 0) > 0 ? 'PENDING_REBOOT' : 'COMPLIANT'),
    findings,
    findingsOmitted: spec.findingsOmitted ?? 0,
    pending: spec.pending ?? [],
    facts: spec.facts ?? EL7_FACTS,
    tags: spec.tags ?? { cluster: 'prod-eu-1' },
    reasons: spec.reasons ?? [],
    lastSeen,
    fingerprint: `fp-${spec.node}-${lastSeen}`,
    expiresAt: Math.floor(Date.parse(lastSeen) / 1000) + 90 * 86_400,
  };
}

export const REEXEC_PENDING: PendingFix = {
  id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW',
  action: 'daemon-reexec',
  detail: 'fixed package installed; running systemd.running=219 is not (daemon-reexec completes the fix)',
};

/** A large plan with long values: hostnames, tags and every finding the catalog knows. */
export function largeStates(count: number): NodeState[] {
  return Array.from({ length: count }, (_, i) =>
    makeState({
      node: `i-${i.toString(16).padStart(17, '0')}`,
      hostname: `ip-10-${(i >> 8) & 255}-${i & 255}-1.eu-west-1.compute.internal.example.corp`,
      findings:
        i % 7 === 0
          ? []
          : [
              ['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high', i % 13 === 0],
              ['RUNC-CVE-2024-21626', 'high'],
              ['RUNC-CVE-2019-5736', 'critical'],
              ['CGROUP-DRIVER-MISMATCH', 'medium'],
              ['KUBELET-PLEG-RELIST-DEADLOCK', 'high'],
            ],
      pending: i % 7 === 0 ? [REEXEC_PENDING] : [],
      tags: {
        cluster: `cluster-${i % 12}`,
        az: `eu-west-1${'abc'[i % 3]}`,
        Name: `cluster-${i % 12}-general-node-pool`,
      },
      reasons: ['the distro reports a reboot is required'],
    }),
  );
}
