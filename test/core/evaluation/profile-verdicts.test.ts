/**
 * Verdicts on the recorded outputs of the real probe (src/local/profiles, recorded from the
 * fixture roots in test/fixtures/probe: CentOS 7, RHEL 7.6 z-stream, RHEL 8, Amazon Linux 2 and
 * 2023, Ubuntu 18.04-24.04, Debian 10 and 12). Row: [profile, status, finding ids, why].
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../src/core/advisory/builtin-catalog.ts';
import { evaluateBlock } from '../../../src/core/evaluation/evaluate-node.ts';
import { parseProbeOutput } from '../../../src/core/probe/parse-probe-output.ts';
import { PROFILES_DIR } from '../../../src/local/local-fleet.ts';

const CASES = [
  ['centos-7-fixed', 'AT_RISK', ['RUNC-CVE-2019-5736'], 'systemd 219-78.el7_9.7 carries the cookie fix; RHEL extras docker 1.13.1 is judged by its upstream version (< 18.06.2)'],
  ['centos-7.6-unfixed', 'AT_RISK', ['CGROUP-DRIVER-MISMATCH', 'CONTAINERD-CVE-2020-15257', 'KUBELET-PLEG-RELIST-DEADLOCK', 'RUNC-CVE-2019-5736', 'SYSTEMD-DBUS-COOKIE-OVERFLOW'], '219-62.el7_6.9 predates the z-stream fix; docker 18.09.1; kubelet 1.13; cgroupfs vs systemd'],
  ['rhel-7.6-z10', 'AT_RISK', ['CONTAINERD-CVE-2020-15257'], '219-62.el7_6.10 is fixed though it sorts below 219-67.el7; containerd.io 1.2.10 < 1.3.9'],
  ['rhel-8', 'COMPLIANT', [], '239-82.el8_10.17 >= 239-18.el8; runc 1.1.12'],
  ['amzn-2-old', 'AT_RISK', ['CONTAINERD-CVE-2020-15257', 'KUBELET-PLEG-RELIST-DEADLOCK', 'SYSTEMD-DBUS-COOKIE-OVERFLOW'], '219-57.amzn2 has no cookie patch'],
  ['amzn-2', 'AT_RISK', ['RUNC-CVE-2024-21626'], 'systemd 219-78.amzn2 fixed; runc 1.1.11 < 1.1.12'],
  ['amzn-2023', 'AT_RISK', ['RUNC-CVE-2024-21626'], 'systemd 252 fixed; runc below 1.1.12'],
  ['ubuntu-18.04', 'AT_RISK', ['CONTAINERD-CVE-2020-15257', 'SYSTEMD-DBUS-COOKIE-OVERFLOW'], 'no known backport for 237: upstream decides'],
  ['ubuntu-20.04', 'COMPLIANT', [], 'runc 1.1.12-0ubuntu2~20.04.1 is the Ubuntu fix'],
  ['ubuntu-22.04', 'AT_RISK', ['RUNC-CVE-2024-21626'], 'runc 1.1.7-0ubuntu1~22.04.2 < 1.1.12-0ubuntu2~22.04.1'],
  ['ubuntu-24.04', 'COMPLIANT', [], 'systemd 255, runc 1.1.12'],
  ['debian-10', 'AT_RISK', ['RUNC-CVE-2024-21626', 'RUNC-RC93-INIT-HANG', 'SYSTEMD-DBUS-COOKIE-OVERFLOW'], 'systemd 241 (no backport known); containerd.io 1.4.4 ships runc 1.0.0-rc93'],
  ['debian-12', 'COMPLIANT', [], 'runc 1.1.5+ds1-1+deb12u1 carries the 1.1.12 fix'],
  ['debian-12-pid1-stale', 'COMPLIANT', [], 'PID 1 runs 252.19, still >= 242: an older but fixed build; a newer kernel waits for a reboot (a note, not a finding)'],
] as const;

describe('verdicts on recorded probe outputs', () => {
  it.for(CASES)('%s is %s', ([profile, status, findings]) => {
    const text = readFileSync(join(PROFILES_DIR, `${profile}.txt`), 'utf8');
    const [block] = parseProbeOutput(text);
    const verdict = evaluateBlock(block!, builtinCatalog());
    expect(verdict.status).toBe(status);
    expect(verdict.findings.map((f) => f.id).sort()).toEqual([...findings].sort());
  });

  it('notes the pending kernel reboot on the stale Debian 12 node', () => {
    const text = readFileSync(join(PROFILES_DIR, 'debian-12-pid1-stale.txt'), 'utf8');
    const verdict = evaluateBlock(parseProbeOutput(text)[0]!, builtinCatalog());
    expect(verdict.reasons).toContain('newer kernel 6.1.0-18-amd64 installed; running 6.1.0-17-amd64');
  });
});
