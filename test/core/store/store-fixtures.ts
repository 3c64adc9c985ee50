/**
 * Verdicts and node states for the store tests. The long advisory id list is the research
 * catalog (shared/research/domain.md §2, 24 entries) named in the shipped catalog's style: the
 * worst case for item size is all of them firing on one node at once.
 */
import { buildNodeState } from '../../../src/core/store/node-state.ts';
import type { NodeState } from '../../../src/core/store/node-state.ts';
import type { Finding, Severity, Verdict } from '../../../src/core/verdict.ts';

export const RESEARCH_ADVISORY_IDS: readonly string[] = [
  'SYSTEMD-DBUS-COOKIE-OVERFLOW',
  'KUBELET-PLEG-RELIST-DEADLOCK',
  'KUBELET-PLEG-SLOW-RELIST',
  'RUNC-CVE-2019-5736',
  'EL7-DOCKER-1.13.1-108-RUNC-REGRESSION',
  'RUNC-CVE-2021-30465',
  'RUNC-RC93-INIT-HANG',
  'RUNC-CVE-2024-21626',
  'RUNC-CVE-2025-31133',
  'CONTAINERD-CVE-2020-15257',
  'CONTAINERD-CVE-2024-25621',
  'EL7-KMEM-LEAK',
  'DOCKER-SHIM-RUNC-HANG',
  'CGROUP-DRIVER-MISMATCH',
  'CGROUPV2-OLD-RUNTIME',
  'KUBELET-CGROUPV1-REJECTED',
  'KUBELET-DOCKERSHIM-REMOVED',
  'AL2-KERNEL-5.4.214-217-HANG',
  'SYSTEMD-CVE-2018-16864',
  'SYSTEMD-CVE-2018-16866',
  'SYSTEMD-CVE-2019-3842',
  'SYSTEMD-CVE-2021-33910',
  'SYSTEMD-CVE-2022-3821',
  'DOCKER-CVE-2024-41110',
];

export function makeFinding(id: string, severity: Severity, hangInProgress = false): Finding {
  return {
    id,
    title: `${id} title`,
    severity,
    hangInProgress,
    evidence: [
      { key: 'systemd.package', value: '219-62.el7_6.9', matched: '< 219-67.el7 (rhel 7)', scheme: 'rpm' },
    ],
    remediation: 'upgrade',
    actions: ['upgrade'],
    rebootRequired: false,
    reexecRequired: true,
    confidence: 'distro-fixed-version',
    references: ['https://example.invalid/ref'],
  };
}

export function makeVerdict(overrides: Partial<Verdict> = {}): Verdict {
  return {
    node: 'i-0123456789abcdef0',
    hostname: 'ip-10-0-12-34.eu-west-1.compute.internal',
    status: 'AT_RISK',
    findings: [
      makeFinding('SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high'),
      makeFinding('RUNC-CVE-2024-21626', 'high'),
    ],
    pending: [],
    reasons: [],
    facts: {
      os: 'CentOS Linux 7 (Core)',
      kernel: '3.10.0-1160.el7.x86_64',
      systemd: '219-62.el7_6.9',
      docker: '19.03.5',
      containerd: '1.2.10',
      runc: '1.0.0-rc8',
      kubelet: 'v1.15.3',
      cgroup: 'tmpfs',
      uptimeSeconds: 8_640_000,
    },
    ...overrides,
  };
}

export const RUN_ID = 'run-20250301T000000Z-a1b2';
export const SEEN = new Date('2025-03-01T00:05:00.000Z');

export function makeState(overrides: Partial<Verdict> = {}, tags: Record<string, string> = {}): NodeState {
  return buildNodeState(makeVerdict(overrides), { runId: RUN_ID, lastSeen: SEEN, tags });
}

/** Every field at its hard bound (10 tags of EC2's maximum lengths, long facts, reasons, fixes). */
export function worstCaseVerdict(ids: readonly string[]): {
  verdict: Verdict;
  tags: Record<string, string>;
  tagKeys: string[];
} {
  const severities: Severity[] = ['critical', 'high', 'medium', 'low'];
  const tagKeys = Array.from({ length: 10 }, (_, i) => `${String(i).padStart(2, '0')}${'k'.repeat(126)}`);
  const tags = Object.fromEntries(tagKeys.map((k) => [k, 'v'.repeat(256)]));
  const verdict = makeVerdict({
    node: 'mi-0123456789abcdef0',
    hostname: `${'h'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(61)}`,
    findings: ids.map((id, i) => makeFinding(id, severities[i % 4]!, i === 0)),
    pending: ids.slice(0, 8).map((id) => ({ id, action: 'daemon-reexec' as const, detail: 'd'.repeat(200) })),
    reasons: ['r'.repeat(300), 's'.repeat(300), 't'.repeat(300), 'u'.repeat(300)],
    facts: {
      os: 'o'.repeat(256),
      kernel: 'k'.repeat(256),
      systemd: 's'.repeat(256),
      docker: 'd'.repeat(256),
      containerd: 'c'.repeat(256),
      runc: 'r'.repeat(256),
      kubelet: 'l'.repeat(256),
      cgroup: 'g'.repeat(256),
      uptimeSeconds: 123_456_789,
    },
  });
  return { verdict, tags, tagKeys };
}
