/**
 * Probe output format 1 (docs/CONTRACTS.md §Probe output): a header line, `key=value` lines, `end`.
 * The limits here bound what a reader accepts from a node, whose output is untrusted.
 */

export const PROBE_HEADER_PREFIX = 'fleet-compliance-probe/';
export const PROBE_FORMAT = 1;
export const PROBE_END = 'end';

/** A value is at most this many characters; longer ones are cut (the probe cuts them too). */
export const MAX_VALUE_LENGTH = 256;
/** Lines longer than this are not key/value lines of format 1: they count as garbage. */
export const MAX_LINE_LENGTH = 4096;
/** Keys beyond this count in one block are ignored (format 1 has about 35). */
export const MAX_KEYS_PER_BLOCK = 200;

export const KEY_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

/** Special values (docs/CONTRACTS.md): not installed, did not answer in time, failed. */
export const ABSENT = '!absent';
export const TIMEOUT = '!timeout';
export const ERROR_PREFIX = '!error';

/** Every key of format 1, in the order the probe prints them. */
export const PROBE_KEYS = [
  'node.id',
  'node.hostname',
  'os.id',
  'os.version_id',
  'os.pretty_name',
  'pkg.manager',
  'kernel.running',
  'kernel.installed',
  'systemd.version',
  'systemd.package',
  'systemd.running',
  'systemd.pid1_deleted',
  'systemd.bus_ms',
  'docker.version',
  'docker.package',
  'docker.cgroup_driver',
  'containerd.version',
  'containerd.package',
  'runc.version',
  'runc.package',
  'kubelet.version',
  'kubelet.cgroup_driver',
  'cgroup.fs',
  'uptime.seconds',
  'reboot.required',
  'symptom.pleg_24h',
  'symptom.docker_ps_ms',
  'probe.version',
  'probe.duration_ms',
] as const;

export type ProbeKey = (typeof PROBE_KEYS)[number];
