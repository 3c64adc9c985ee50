import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../src/core/advisory/builtin-catalog.ts';
import { type AdvisoryLookup, planNodeRemediation } from '../../../src/core/campaign/node-remediation.ts';
import {
  CONTAINERD_FACTS,
  EL7_FACTS,
  makeState,
  REEXEC_PENDING,
  type StateSpec,
} from './campaign-fixtures.ts';

const catalog = new Map(builtinCatalog().advisories.map((a) => [a.id, a]));
const lookup: AdvisoryLookup = (id) => catalog.get(id);

/** A step as a short string: `upgrade:systemd,runc`, `restart-service:docker`, `daemon-reexec`. */
function steps(spec: StateSpec): string[] {
  return planNodeRemediation(makeState(spec), lookup).actions.map((a) => {
    const detail = a.components ?? a.services;
    return detail === undefined ? a.action : `${a.action}:${detail.join(',')}`;
  });
}

/**
 * Each row: a node (findings, pending fixes, facts) -> the steps in order, whether it needs a
 * drain, and how disruptive it is. The rules are planNodeRemediation's doc comment; the advisory
 * actions are advisories/catalog.json's.
 */
const CASES: readonly {
  name: string;
  spec: StateSpec;
  steps: string[];
  drain: boolean;
  disruption: string;
  urgency: string;
}[] = [
  {
    name: 'upgrades systemd and re-executes PID 1 instead of rebooting for the D-Bus cookie overflow',
    spec: { node: 'n', findings: [['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high']] },
    steps: ['upgrade:systemd', 'daemon-reexec'],
    drain: false,
    disruption: 'reexec',
    urgency: 'high',
  },
  {
    name: 're-executes once more before the upgrade when the hang is in progress',
    spec: { node: 'n', findings: [['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'critical', true]] },
    steps: ['daemon-reexec', 'upgrade:systemd', 'daemon-reexec'],
    drain: false,
    disruption: 'reexec',
    urgency: 'hang',
  },
  {
    name: 'needs only a re-exec when the fixed systemd is installed but not running',
    spec: { node: 'n', pending: [REEXEC_PENDING] },
    steps: ['daemon-reexec'],
    drain: false,
    disruption: 'reexec',
    urgency: 'pending',
  },
  {
    name: 'reboots for a pending kernel fix',
    spec: {
      node: 'n',
      pending: [{ id: 'AL2-KERNEL-HANG', action: 'reboot', detail: 'newer kernel installed' }],
    },
    steps: ['reboot'],
    drain: true,
    disruption: 'reboot',
    urgency: 'pending',
  },
  {
    name: 'restarts containerd (no drain: shims keep containers) for runc on a containerd node',
    spec: { node: 'n', facts: CONTAINERD_FACTS, findings: [['RUNC-CVE-2024-21626', 'high']] },
    steps: ['upgrade:runc', 'restart-service:containerd'],
    drain: false,
    disruption: 'service-restart',
    urgency: 'high',
  },
  {
    name: 'restarts docker, with a drain, for runc on a docker node',
    spec: { node: 'n', facts: EL7_FACTS, findings: [['RUNC-CVE-2024-21626', 'high']] },
    steps: ['upgrade:runc', 'restart-service:docker'],
    drain: true,
    disruption: 'service-restart',
    urgency: 'high',
  },
  {
    name: 'upgrades both runc and docker where the advisory names both and the node has both',
    spec: { node: 'n', findings: [['RUNC-CVE-2019-5736', 'critical']] },
    steps: ['upgrade:runc,docker', 'restart-service:docker'],
    drain: true,
    disruption: 'service-restart',
    urgency: 'critical',
  },
  {
    name: 'lets a reboot subsume the re-exec and the restarts',
    spec: {
      node: 'n',
      findings: [
        ['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high'],
        ['KUBELET-CGROUPV1-REJECTED', 'high'],
        ['RUNC-CVE-2024-21626', 'high'],
      ],
    },
    steps: ['upgrade:systemd,runc', 'configure', 'reboot'],
    drain: true,
    disruption: 'reboot',
    urgency: 'high',
  },
  {
    name: 'reconfigures and restarts both sides of a cgroup driver mismatch',
    spec: { node: 'n', findings: [['CGROUP-DRIVER-MISMATCH', 'medium']] },
    steps: ['configure', 'restart-service:docker,kubelet'],
    drain: true,
    disruption: 'service-restart',
    urgency: 'medium',
  },
  {
    name: 'asks for a review of an advisory the catalog does not know, and drains to be safe',
    spec: { node: 'n', findings: [['ACME-INTERNAL-42', 'low']] },
    steps: ['review'],
    drain: true,
    disruption: 'reexec',
    urgency: 'low',
  },
];

describe('planNodeRemediation', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const remedy = planNodeRemediation(makeState(c.spec), lookup);
      expect(steps(c.spec)).toEqual(c.steps);
      expect({ drain: remedy.drain, disruption: remedy.disruption, urgency: remedy.urgency }).toEqual({
        drain: c.drain,
        disruption: c.disruption,
        urgency: c.urgency,
      });
    });
  }

  it('names the advisories, the hang and the absence of a reboot in the why sentence', () => {
    const { why } = planNodeRemediation(
      makeState({ node: 'n', findings: [['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'critical', true]] }),
      lookup,
    );
    expect(why).toBe(
      'SYSTEMD-DBUS-COOKIE-OVERFLOW (critical, hang in progress) affects this node: run systemctl daemon-reexec first to clear the hang, upgrade systemd and run systemctl daemon-reexec so PID 1 runs the fixed systemd; no reboot or drain needed.',
    );
  });

  it('says a pending fix is installed but not running', () => {
    const { why } = planNodeRemediation(makeState({ node: 'n', pending: [REEXEC_PENDING] }), lookup);
    expect(why).toBe(
      'The fix for SYSTEMD-DBUS-COOKIE-OVERFLOW is installed but PID 1 still runs the old systemd: run systemctl daemon-reexec so PID 1 runs the fixed systemd; no reboot or drain needed.',
    );
  });

  it('gives a pending node the severity of its advisory from the catalog', () => {
    const remedy = planNodeRemediation(makeState({ node: 'n', pending: [REEXEC_PENDING] }), lookup);
    expect(remedy.severity).toBe('high');
    expect(remedy.urgency).toBe('pending');
  });

  it('notes when the distro also asks for a reboot that the plan does not need', () => {
    const remedy = planNodeRemediation(
      makeState({
        node: 'n',
        pending: [REEXEC_PENDING],
        reasons: ['the distro reports a reboot is required'],
      }),
      lookup,
    );
    expect(remedy.notes).toEqual([
      'the distro also asks for a reboot; rebooting instead of re-executing would complete both',
    ]);
  });

  it('counts findings the store left out in the why sentence and a note', () => {
    const remedy = planNodeRemediation(
      makeState({ node: 'n', findings: [['RUNC-CVE-2024-21626', 'high']], findingsOmitted: 2 }),
      lookup,
    );
    expect(remedy.why).toMatch(/^RUNC-CVE-2024-21626 \(high\) and 2 more affect this node/);
    expect(remedy.notes).toContain("2 more finding(s) were not stored; check the node's full verdict");
  });
});
