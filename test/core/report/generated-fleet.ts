/**
 * A deterministic fleet scanned several times, stored the way DynamoFleetStore stores it (one
 * item per node and state fingerprint: a steady node's item is rewritten, a change adds one), for
 * report tests that want realistic volume: a remediation campaign shrinking the at-risk set,
 * hangs, pending reboots, unreachable nodes, nodes joining and leaving.
 */
import { compareRecency } from '../../../src/core/store/attention.ts';
import type { NodeState } from '../../../src/core/store/node-state.ts';
import type { ScanRun } from '../../../src/core/store/scan-run.ts';
import type { Severity } from '../../../src/core/verdict.ts';
import { countStatuses, nodeState, scanRun } from './report-fixtures.ts';

export interface GeneratedFleet {
  readonly runs: ScanRun[];
  readonly histories: NodeState[][];
  readonly now: Date;
  /** Node ids of the latest scan. */
  readonly latestNodes: readonly string[];
}

const OSES = [
  { os: 'Ubuntu 20.04.6 LTS', kernel: '5.4.0-170-generic', systemd: '245.4-4ubuntu3.23' },
  { os: 'CentOS Linux 7 (Core)', kernel: '3.10.0-957.el7.x86_64', systemd: '219-62.el7_6.9' },
  { os: 'Red Hat Enterprise Linux 8.6 (Ootpa)', kernel: '4.18.0-372.9.1.el8.x86_64', systemd: '239-58.el8' },
  { os: 'Amazon Linux 2', kernel: '5.10.205-195.807.amzn2.x86_64', systemd: '219-78.amzn2.0.22' },
  { os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-17-amd64', systemd: '252.38-1~deb12u1' },
];
const CLUSTERS = ['prod-eu-west-1', 'prod-us-east-1', 'staging', 'batch-spot', undefined];
const ADVISORIES: readonly [string, Severity][] = [
  ['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high'],
  ['RUNC-CVE-2024-21626', 'high'],
  ['RUNC-CVE-2019-5736', 'critical'],
  ['CONTAINERD-CVE-2020-15257', 'medium'],
  ['CGROUP-DRIVER-MISMATCH', 'medium'],
  ['EL7-KMEM-LEAK', 'medium'],
  ['KUBELET-PLEG-RELIST-DEADLOCK', 'high'],
  ['CGROUPV2-OLD-RUNTIME', 'low'],
];

export function generateFleet(
  options: { nodes?: number; scans?: number; seed?: number } = {},
): GeneratedFleet {
  const size = options.nodes ?? 400;
  const scans = options.scans ?? 8;
  const seed = options.seed ?? 7;
  const items = new Map<string, Map<string, NodeState>>();
  const runs: ScanRun[] = [];
  let latestNodes: string[] = [];
  const start = Date.parse('2025-03-01T06:00:00.000Z');

  for (let scan = 0; scan < scans; scan += 1) {
    const runId = `run-${String(scan + 1).padStart(3, '0')}`;
    const startedAt = new Date(start + scan * 86_400_000).toISOString();
    const at = new Date(start + scan * 86_400_000 + 120_000).toISOString();
    // Nodes join over time (the last 5% only in the last scan) and a few leave before it.
    const present = Array.from({ length: size }, (_, i) => i).filter((i) => {
      if (i >= size * 0.95 && scan < scans - 1) return false;
      if (i % 97 === 3 && scan === scans - 1) return false;
      return true;
    });
    const states = present.map((i) => nodeStateFor(i, scan, scans, runId, at, seed));
    for (const state of states) {
      let byFingerprint = items.get(state.node);
      if (!byFingerprint) {
        byFingerprint = new Map();
        items.set(state.node, byFingerprint);
      }
      byFingerprint.set(state.fingerprint, state);
    }
    runs.push(
      scanRun(runId, startedAt, 'COMPLETE', {
        byStatus: countStatuses(states),
        missing: states.filter((s) => s.ssmStatus === 'NotInvoked').map((s) => s.node),
      }),
    );
    latestNodes = states.map((s) => s.node);
  }
  const histories = [...items.values()].map((byFingerprint) =>
    [...byFingerprint.values()].sort(compareRecency),
  );
  return { runs, histories, now: new Date(start + scans * 86_400_000), latestNodes };
}

function nodeStateFor(
  i: number,
  scan: number,
  scans: number,
  runId: string,
  at: string,
  seed: number,
): NodeState {
  const random = prng(seed * 1_000_003 + i * 7919 + scan);
  const stable = prng(seed * 31 + i);
  const node = `i-${(0x0a000000 + i * 2654435761).toString(16).slice(-8).padStart(8, '0')}${String(i).padStart(9, '0')}`;
  const base = OSES[Math.floor(stable() * OSES.length)]!;
  const cluster = CLUSTERS[Math.floor(stable() * CLUSTERS.length)];
  const tags: Record<string, string> =
    cluster === undefined ? { Name: `node-${i}` } : { Name: `node-${i}`, cluster };
  const hostname = `ip-10-${(i >> 8) & 255}-${i & 255}-${(i * 7) & 255}.internal`;
  // A campaign: the at-risk share falls from about 30% to about 12% over the scans.
  const riskShare = 0.3 - (0.18 * scan) / Math.max(1, scans - 1);
  const stableRisk = stable();
  const roll = random();
  const common = { node, runId, at, hostname, tags, facts: base };
  if (roll < 0.02)
    return nodeState({
      ...common,
      status: 'UNREACHABLE',
      ssmStatus: roll < 0.008 ? 'NotInvoked' : 'TimedOut',
      facts: {},
      reasons: ['SSM could not run the probe'],
    });
  if (roll < 0.035)
    return nodeState({ ...common, status: 'UNKNOWN', reasons: ['output truncated (no end marker)'] });
  if (stableRisk < riskShare) {
    const first = ADVISORIES[Math.floor(stable() * ADVISORIES.length)]!;
    const second = ADVISORIES[Math.floor(stable() * ADVISORIES.length)]!;
    const hang = first[0] === 'SYSTEMD-DBUS-COOKIE-OVERFLOW' && stable() < 0.4;
    const findings: [string, Severity, boolean][] = [[first[0], first[1], hang]];
    if (second[0] !== first[0] && stable() < 0.5) findings.push([second[0], second[1], false]);
    return nodeState({ ...common, findings });
  }
  if (stableRisk < riskShare + 0.05) {
    return nodeState({
      ...common,
      status: 'PENDING_REBOOT',
      pending: [
        stable() < 0.5
          ? {
              id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW',
              action: 'daemon-reexec',
              detail: `PID 1 still runs ${base.systemd}`,
            }
          : { id: 'RUNC-CVE-2024-21626', action: 'reboot', detail: `kernel ${base.kernel} still running` },
      ],
    });
  }
  return nodeState(common);
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
