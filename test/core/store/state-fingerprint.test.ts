import { describe, expect, it } from 'vitest';
import { fingerprintNodeState } from '../../../src/core/store/state-fingerprint.ts';
import type { Verdict } from '../../../src/core/verdict.ts';
import { makeFinding, makeState, makeVerdict } from './store-fixtures.ts';

const base = makeVerdict({
  findings: [
    makeFinding('SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high'),
    makeFinding('RUNC-CVE-2019-5736', 'critical'),
  ],
  pending: [
    { id: 'A', action: 'reboot', detail: 'kernel' },
    { id: 'B', action: 'daemon-reexec', detail: 'pid 1' },
  ],
});
const fp = (verdict: Verdict, ssmStatus?: string) => fingerprintNodeState({ ...verdict, ssmStatus });

describe('fingerprintNodeState', () => {
  it('is the same whatever order findings and pending fixes arrive in', () => {
    const shuffled = {
      ...base,
      findings: [...base.findings].reverse(),
      pending: [...base.pending].reverse(),
    };
    expect(fp(shuffled)).toBe(fp(base));
  });

  it('ignores what changes while the state does not: lastSeen, runId, uptime, tags, reasons, hostname', () => {
    const a = makeState(base, { Name: 'a' });
    const later = makeState(
      { ...base, hostname: 'renamed', reasons: ['note'], facts: { ...base.facts, uptimeSeconds: 1 } },
      { Name: 'b', cluster: 'c' },
    );
    expect(later.fingerprint).toBe(a.fingerprint);
  });

  it('ignores evidence, titles and remediation text (the catalog can be reworded)', () => {
    const reworded = {
      ...base,
      findings: base.findings.map((f) => ({ ...f, title: 'new title', remediation: 'new', evidence: [] })),
    };
    expect(fp(reworded)).toBe(fp(base));
  });

  it.for<[string, (v: Verdict) => Verdict]>([
    ['status', (v) => ({ ...v, status: 'PENDING_REBOOT' })],
    ['a finding added', (v) => ({ ...v, findings: [...v.findings, makeFinding('EL7-KMEM-LEAK', 'high')] })],
    ['a finding removed', (v) => ({ ...v, findings: v.findings.slice(1) })],
    [
      'a severity',
      (v) => ({ ...v, findings: [{ ...v.findings[0]!, severity: 'low' }, ...v.findings.slice(1)] }),
    ],
    [
      'a hang seen',
      (v) => ({ ...v, findings: [{ ...v.findings[0]!, hangInProgress: true }, ...v.findings.slice(1)] }),
    ],
    [
      'a pending action',
      (v) => ({ ...v, pending: [{ id: 'A', action: 'daemon-reexec', detail: '' }, v.pending[1]!] }),
    ],
    ['the systemd version', (v) => ({ ...v, facts: { ...v.facts, systemd: '219-67.el7' } })],
    ['the running kernel', (v) => ({ ...v, facts: { ...v.facts, kernel: '3.10.0-1160.81.1.el7.x86_64' } })],
    ['the runc version', (v) => ({ ...v, facts: { ...v.facts, runc: '1.1.12' } })],
    ['a fact disappearing', (v) => ({ ...v, facts: { ...v.facts, kubelet: undefined } })],
  ])('changes when %s changes', ([, change]) => {
    expect(fp(change(base))).not.toBe(fp(base));
  });

  it('changes with the SSM status of an unreachable node', () => {
    const unreachable = makeVerdict({ status: 'UNREACHABLE', findings: [], facts: {} });
    expect(fp(unreachable, 'TimedOut')).not.toBe(fp(unreachable, 'Undeliverable'));
  });

  it('is 16 hex digits', () => {
    expect(fp(base)).toMatch(/^[0-9a-f]{16}$/);
  });
});
