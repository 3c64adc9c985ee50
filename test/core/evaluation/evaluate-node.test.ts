import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../src/core/advisory/builtin-catalog.ts';
import { evaluateBlock, unknownVerdict, unreachableVerdict } from '../../../src/core/evaluation/evaluate-node.ts';
import { parseProbeOutput } from '../../../src/core/probe/parse-probe-output.ts';
import { CENTOS_7_BASE, UBUNTU_18_BASE } from '../../fixtures/advisory-cases.ts';
import { probeText } from '../../helpers/probe-text.ts';

function verdictOf(text: string, nodeId?: string) {
  const [block] = parseProbeOutput(text);
  return evaluateBlock(block!, builtinCatalog(), nodeId);
}

describe('evaluateBlock: verdict rules', () => {
  it('judges a healthy Debian 12 node COMPLIANT with its facts summarised', () => {
    const v = verdictOf(probeText());
    expect(v.status).toBe('COMPLIANT');
    expect(v.findings).toEqual([]);
    expect(v.facts).toMatchObject({ os: 'Debian GNU/Linux 12 (bookworm)', systemd: '252.38-1~deb12u1', cgroup: 'cgroup2fs' });
  });

  it('uses the SSM instance id over what the node says of itself', () => {
    expect(verdictOf(probeText({ 'node.id': 'evil' }), 'i-0abc').node).toBe('i-0abc');
    expect(verdictOf(probeText({ 'node.id': 'i-self' })).node).toBe('i-self');
  });

  it('keeps AT_RISK for a truncated output whose arrived part proves a finding', () => {
    const full = probeText({}, { base: UBUNTU_18_BASE, end: false });
    const v = verdictOf(full.slice(0, full.indexOf('docker.version')));
    expect(v.status).toBe('AT_RISK');
    expect(v.findings.map((f) => f.id)).toContain('SYSTEMD-DBUS-COOKIE-OVERFLOW');
    expect(v.reasons[0]).toMatch(/truncated/);
  });

  it('is UNKNOWN for a truncated output without a finding, never COMPLIANT', () => {
    const full = probeText({}, { end: false });
    const v = verdictOf(full.slice(0, full.indexOf('docker.version')));
    expect(v.status).toBe('UNKNOWN');
  });

  it.for(['os.id', 'systemd.version'])('is UNKNOWN when %s is missing altogether', (key) => {
    expect(verdictOf(probeText({ [key]: null })).status).toBe('UNKNOWN');
  });

  it('does not flag upstream-only when os.id is missing, since backports cannot be judged', () => {
    const v = verdictOf(probeText({ 'os.id': null }, { base: { ...CENTOS_7_BASE, 'systemd.package': '219-62.el7_6.10' } }));
    expect(v.status).toBe('UNKNOWN');
  });

  it('judges by upstream when os.id is stated as !absent, so a backported fix cannot clear a finding', () => {
    const v = verdictOf(probeText({ 'os.id': '!absent' }));
    expect(v.status).toBe('AT_RISK');
    expect(v.findings).toEqual([expect.objectContaining({ id: 'RUNC-CVE-2024-21626', confidence: 'upstream-only' })]);
  });

  it('raises severity and marks a hang in progress when PID 1 does not answer D-Bus', () => {
    const v = verdictOf(probeText({ 'systemd.bus_ms': '!timeout' }, { base: UBUNTU_18_BASE }));
    const finding = v.findings.find((f) => f.id === 'SYSTEMD-DBUS-COOKIE-OVERFLOW');
    expect(finding).toMatchObject({ severity: 'critical', hangInProgress: true, reexecRequired: true });
    expect(finding?.remediation).toMatch(/daemon-reexec/);
    expect(finding?.evidence.map((e) => e.key)).toEqual(['systemd.version', 'systemd.bus_ms']);
  });

  it('keeps the advisory severity when no symptom is seen', () => {
    const v = verdictOf(probeText({}, { base: UBUNTU_18_BASE }));
    expect(v.findings[0]).toMatchObject({ id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW', severity: 'high', hangInProgress: false });
  });

  it('is PENDING_REBOOT when only a re-exec is missing, with the action named', () => {
    const v = verdictOf(probeText({ 'systemd.pid1_deleted': '1', 'systemd.running': '219' }, { base: CENTOS_7_BASE }));
    expect(v.status).toBe('PENDING_REBOOT');
    expect(v.pending).toEqual([expect.objectContaining({ id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW', action: 'daemon-reexec' })]);
  });

  it('is AT_RISK when another advisory matches, and still lists the pending re-exec', () => {
    const v = verdictOf(
      probeText(
        { 'systemd.pid1_deleted': '1', 'systemd.running': '219', 'kubelet.version': 'Kubernetes v1.13.12' },
        { base: CENTOS_7_BASE },
      ),
    );
    expect(v.status).toBe('AT_RISK');
    expect(v.pending.map((p) => p.id)).toEqual(['SYSTEMD-DBUS-COOKIE-OVERFLOW']);
  });

  it('sorts findings most severe first', () => {
    const v = verdictOf(
      probeText({ 'docker.version': '18.09.1', 'kubelet.version': 'Kubernetes v1.13.12' }, { base: UBUNTU_18_BASE }),
    );
    expect(v.findings.map((f) => f.severity)).toEqual(['critical', 'high', 'high']);
  });

  it('is UNKNOWN for an unsupported format number', () => {
    const v = verdictOf(probeText({}, { header: 'fleet-compliance-probe/2' }));
    expect(v).toMatchObject({ status: 'UNKNOWN', reasons: ['unsupported probe output format 2'] });
  });

  it('notes a newer kernel installed than running and the distro reboot flag', () => {
    const v = verdictOf(probeText({ 'kernel.installed': '6.1.0-18-amd64', 'reboot.required': '1' }));
    expect(v.status).toBe('COMPLIANT');
    expect(v.reasons).toEqual([
      'newer kernel 6.1.0-18-amd64 installed; running 6.1.0-17-amd64',
      'the distro reports a reboot is required',
    ]);
  });

  it('builds UNREACHABLE and UNKNOWN verdicts for nodes without output', () => {
    expect(unreachableVerdict('i-1', 'Undeliverable')).toMatchObject({ status: 'UNREACHABLE', reasons: ['SSM status Undeliverable'] });
    expect(unknownVerdict('i-2', 'no probe output')).toMatchObject({ status: 'UNKNOWN' });
  });
});
