/**
 * Builds probe output (format 1) for tests: a base node plus overrides. `null` removes a key
 * altogether (missing, not even `!absent`). The base is a healthy Debian 12 node as recorded in
 * docs (systemctl/dpkg/runc/containerd outputs captured on Debian 12).
 */
export const DEBIAN_12_BASE: Readonly<Record<string, string>> = {
  'node.id': 'i-0123456789abcdef0',
  'node.hostname': 'ip-10-0-0-1',
  'os.id': 'debian',
  'os.version_id': '12',
  'os.pretty_name': 'Debian GNU/Linux 12 (bookworm)',
  'pkg.manager': 'dpkg',
  'kernel.running': '6.1.0-17-amd64',
  'kernel.installed': '6.1.0-17-amd64',
  'systemd.version': 'systemd 252 (252.38-1~deb12u1)',
  'systemd.package': '252.38-1~deb12u1',
  'systemd.running': '252.38-1~deb12u1',
  'systemd.pid1_deleted': '0',
  'systemd.bus_ms': '3',
  'docker.version': '20.10.24+dfsg1',
  'docker.package': '20.10.24+dfsg1-1+b3',
  'docker.cgroup_driver': 'systemd',
  'containerd.version': 'containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3',
  'containerd.package': '1.6.20~ds1-1+deb12u3',
  'runc.version': 'runc version 1.1.5+ds1',
  'runc.package': '1.1.5+ds1-1+deb12u1',
  'kubelet.version': 'Kubernetes v1.29.6',
  'kubelet.cgroup_driver': 'systemd',
  'cgroup.fs': 'cgroup2fs',
  'uptime.seconds': '864000',
  'reboot.required': '0',
  'symptom.pleg_24h': '0',
  'symptom.docker_ps_ms': '41',
  'probe.version': '1',
  'probe.duration_ms': '812',
};

export function probeText(
  overrides: Readonly<Record<string, string | null>> = {},
  options: { base?: Readonly<Record<string, string>>; end?: boolean; header?: string } = {},
): string {
  const merged: Record<string, string | null> = { ...(options.base ?? DEBIAN_12_BASE), ...overrides };
  const lines = [options.header ?? 'fleet-compliance-probe/1'];
  for (const [k, v] of Object.entries(merged)) if (v !== null) lines.push(`${k}=${v}`);
  if (options.end !== false) lines.push('end');
  return `${lines.join('\n')}\n`;
}
