import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The probe runs as root on every node, so what it can do is read from its text: every command it
 * asks the system something with goes through `cap`, `timed_cap` or `version_of` (bounded in time),
 * and that list is the reviewed, read-only one below. test/probe/probe-leaves-no-trace.test.ts
 * runs the probe and shows it writes nothing (no temporary file, nothing under the root it reads,
 * nothing in TMPDIR or HOME); this file shows, statically, that nothing in it could: no command
 * that writes, deletes, installs, restarts, reboots or talks to the network, no redirection into a
 * file, nothing it reads is ever executed.
 */

const PROBE = readFileSync('probe/probe.sh', 'utf8');
/** The script without comments (a `#` at a line's start or after a blank). */
const CODE = PROBE.split('\n')
  .map((line) => line.replace(/(^|\s)#(?![!]).*$/, '$1'))
  .join('\n');

/** Every system query the probe makes, with what it reads. */
const QUERIES: Readonly<Record<string, string>> = {
  'uname -r': 'running kernel release',
  'uname -n': 'hostname',
  'dpkg-query "$@" -W': 'installed package versions (dpkg database, read)',
  'rpm "$@" -q': 'installed package versions (rpm database, query mode)',
  'systemctl --version': 'installed systemd version',
  'busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.DBus.Peer Ping': 'D-Bus ping of PID 1 (no method with effects)',
  'dbus-send --system --print-reply --dest=org.freedesktop.systemd1 /org/freedesktop/systemd1': 'the same ping with dbus-send',
  'systemctl show -p Version': "PID 1's running version property",
  // The Go templates are assembled at run time ($OB = '{', $CB = '}'): SSM would read a literal
  // double brace in the document as a parameter reference.
  'docker version --format "$OB$OB.Server.Version$CB$CB"': 'docker daemon version',
  'docker info --format "$OB$OB.CgroupDriver$CB$CB"': "docker's cgroup driver",
  'docker ps -q': 'container ids (timed: the hang symptom)',
  'containerd --version': 'containerd version',
  'runc --version': 'runc version',
  'docker-runc --version': 'runc version (RHEL 7 Extras name)',
  'kubelet --version': 'kubelet version',
  'stat -fc %T "$ROOT/sys/fs/cgroup"': 'cgroup filesystem type',
  'needs-restarting -r': 'whether the distro wants a reboot (exit status only)',
  "sh -c '{ journalctl -u kubelet --since=-24h --no-pager -q -o cat 2>/dev/null": "kubelet's journal, counted for PLEG lines",
};

function queries(): string[] {
  const found: string[] = [];
  for (const line of CODE.split('\n')) {
    const m = /^\s*(?:timed_cap|cap|version_of)\s+(.+?)\s*\\?$/.exec(line);
    if (m && m[1] !== '"$@"') found.push(m[1]!);
  }
  return found;
}

describe('the probe, read statically', () => {
  it('asks the system only the reviewed read-only queries, each under the time bound', () => {
    const asked = queries();
    expect(asked.length).toBe(Object.keys(QUERIES).length);
    for (const query of asked) {
      const known = Object.keys(QUERIES).find((q) => query.startsWith(q));
      expect(known, `unreviewed query: ${query}`).toBeDefined();
    }
  });

  it('contains no command that writes, deletes, installs, restarts, reboots or changes permissions', () => {
    const forbidden =
      /(^|[\s;&|(`$])(rm|rmdir|mv|cp|mkdir|touch|chmod|chown|chattr|ln|tee|dd|truncate|mktemp|install|shred|mount|umount|modprobe|insmod|rmmod|sysctl|reboot|shutdown|poweroff|halt|useradd|usermod|passwd|crontab|at|yum|dnf|apt|apt-get|zypper|pip|npm|curl|wget|nc|ncat|socat|ssh|scp|rsync|ftp|telnet|eval|source)\s/;
    for (const [n, line] of CODE.split('\n').entries()) expect(forbidden.test(line), `line ${n + 1}: ${line.trim()}`).toBe(false);
  });

  it('asks systemctl, rpm, dpkg and docker only read verbs', () => {
    const mutating = [
      /systemctl\s+(start|stop|restart|reload|daemon-reexec|daemon-reload|enable|disable|mask|kill|isolate|set-|reboot|poweroff|edit)/,
      /rpm\s+[^\n]*\s-(i|U|F|e)\b|rpm\s+[^\n]*--(install|upgrade|erase|import|rebuilddb|setperms|setugids)/,
      /dpkg\s+(-i|--install|-r|--remove|-P|--purge|--configure|--set-selections)/,
      /docker\s+(run|exec|rm|rmi|kill|stop|start|restart|pull|push|system\s+prune|volume|network\s+(create|rm))/,
      /kubectl|crictl\s+(rm|stop|exec)/,
      /busctl\s+(set-property|call\s+\S+\s+\S+\s+(?!org\.freedesktop\.DBus\.Peer))/,
    ];
    for (const pattern of mutating) expect(CODE, String(pattern)).not.toMatch(pattern);
  });

  it('redirects output only to /dev/null or between its own descriptors, never into a file', () => {
    const redirections = [...CODE.matchAll(/[0-9]?>>?\s*(&?[^\s;|)]*)/g)].map((m) => m[1]!);
    expect(redirections.length).toBeGreaterThan(0);
    for (const target of redirections) expect(target, `redirection to ${target}`).toMatch(/^(\/dev\/null|&[0-9-]+)$/);
  });

  it('parses what it reads and never runs it (os-release is read line by line, not sourced)', () => {
    expect(CODE).not.toMatch(/(^|\s)\.\s+["$/]/m);
    expect(CODE).toMatch(/while IFS= read -r _l/);
  });

  it('kills only the processes it started itself (its own watchdogs and bounded commands)', () => {
    const kills = [...CODE.matchAll(/kill\s+-KILL\s+(\S+)/g)].map((m) => m[1]!);
    expect(kills.length).toBeGreaterThan(0);
    // `$2` is the pid the watchdog was handed (the bounded command it started); `$_wdog` the watchdog.
    for (const target of kills) expect(target.replace(/["']/g, '').replace(/^-/, '')).toMatch(/^\$(2|_wdog)$/);
  });
});
