import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { fixtureEnv, fixtureRoot, runProbe } from '../fixtures/probe/run-probe.ts';
import { expectFormat1Keys, readProbeLines, probeValue } from './probe-lines.ts';

/**
 * A node whose commands and files print hostile text: 10 KB lines, control characters (CR, ESC
 * sequences, NUL), spreadsheet formulas, HTML, bytes that are not UTF-8, a fake `end` line and
 * `key=value` lines meant to inject facts. The output must stay format 1: every key once, no
 * other key, each value at most 256 printable characters.
 */

const PRETTY_PREFIX = '<script>alert(1)</script> =HYPERLINK(""http://x"") ';

const scratch = mkdtempSync(join(tmpdir(), 'fleet-probe-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in: a sh script answering the probe's calls by their arguments. */
function standIn(bin: string, name: string, cases: Readonly<Record<string, string>>): void {
  const arms = Object.entries(cases).map(([args, body]) => `  '${args}')\n    ${body}\n    ;;`);
  const script = ['#!/bin/sh', 'case "$*" in', ...arms, '  *) exit 64 ;;', 'esac', ''].join('\n');
  writeFileSync(join(bin, name), script, { mode: 0o755 });
}

// 10,240 characters of one letter, built by the stand-in itself.
const LONG = (letter: string) =>
  `s=${letter}; i=0; while [ $i -lt 10 ]; do s=$s$s; i=$((i + 1)); done; s=$s$s$s$s$s$s$s$s$s$s; `;

function buildHostileRoot(): string {
  const root = join(scratch, 'root');
  const bin = join(root, 'bin');
  for (const dir of ['bin', 'etc', 'proc/1', 'var/lib/rpm', 'var/lib/kubelet']) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  writeFileSync(
    join(root, 'etc/os-release'),
    Buffer.concat([
      Buffer.from("ID='ubuntu'\r\n"),
      Buffer.from('VERSION_ID="22.04\x1b[2J"\n'),
      Buffer.from(`PRETTY_NAME="${PRETTY_PREFIX}${'A'.repeat(10_000)}"\n`),
      Buffer.from('end\nnode.id=from-os-release\n'),
    ]),
  );
  writeFileSync(join(root, 'proc/1/comm'), 'systemd\n');
  symlinkSync('/usr/lib/systemd/systemd', join(root, 'proc/1/exe'));
  writeFileSync(join(root, 'proc/uptime'), 'abc def\n');
  writeFileSync(join(root, 'var/lib/rpm/fixture-packages.tsv'), '# hostile: answers come from bin/rpm\n');
  writeFileSync(
    join(root, 'var/lib/kubelet/config.yaml'),
    '# cgroupDriver: cgroupfs\ncgroupDriver: systemd\x1b[2J\ncgroupDriver: cgroupfs\n',
  );

  standIn(bin, 'uname', {
    '-r': String.raw`printf 'evil-kernel\r\nnode.id=injected\nend\n'`,
    '-n': `${LONG('h')}printf '%s\\n' "$s"`,
  });
  writeFileSync(
    join(bin, 'rpm'),
    [
      '#!/bin/sh',
      String.raw`printf 'systemd\t100\t219-78.el7\033[31m\t219-78.el7.x86_64\n'`,
      String.raw`printf 'package docker-ce is not installed\nend\n'`,
      String.raw`printf 'kernel\t5\t=HYPERLINK("http://evil")\t\377\376kernel\n'`,
      String.raw`printf 'runc\tnot-a-time\t1.0\tx\n'`,
      'exit 3',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  standIn(bin, 'systemctl', {
    '--version': String.raw`printf '\033[31msystemd 252\033[0m =HYPERLINK("http://x","y")\n'`,
    'show -p Version': String.raw`printf 'Version=<script>alert(1)</script>\n'`,
  });
  symlinkSync(realpathSync(join(fixtureRoot('debian-12'), 'bin/busctl')), join(bin, 'busctl'));
  standIn(bin, 'docker', {
    'version --format {{.Server.Version}}': String.raw`printf 'end\nkernel.running=injected\n'`,
    'info --format {{.CgroupDriver}}': String.raw`printf '\377\376systemd\300\n'`,
    // 320 KB: more than the probe reads of any command.
    'ps -q': `i=0; while [ $i -lt 5000 ]; do echo 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde; i=$((i + 1)); done`,
  });
  standIn(bin, 'containerd', { '--version': String.raw`printf '\000\001\002containerd 1.7.0\tx\n'` });
  standIn(bin, 'runc', { '--version': `${LONG('r')}printf '%s' "$s"` });
  standIn(bin, 'kubelet', {
    '--version': String.raw`printf 'Kubernetes v1.29.0\nkubelet.cgroup_driver=evil\n'`,
  });
  standIn(bin, 'journalctl', {
    '-u kubelet --since=-24h --no-pager -q -o cat': [
      String.raw`printf 'fleet-probe-journalctl-exit=7\n'`,
      String.raw`printf 'E0101 kubelet.go:1] \033[1mPLEG is not healthy\033[0m: pleg was last seen active 3m\r\n'`,
      String.raw`printf 'E0101 kubelet.go:1] skipping pod synchronization - [PLEG is not healthy: x]\n'`,
      String.raw`printf 'symptom.pleg_24h=999\n'`,
    ].join('; '),
  });
  // coreutils before 8.26 (EL7) does not know cgroup2's magic number.
  writeFileSync(
    join(bin, 'stat'),
    '#!/bin/sh\ncase "$1 $2" in "-fc %T") echo "UNKNOWN (0x63677270)" ;; *) exit 64 ;; esac\n',
    { mode: 0o755 },
  );
  standIn(bin, 'needs-restarting', {
    '-r': String.raw`printf '\033]8;;http://evil\033\\click\033]8;;\033\\\n'; exit 1`,
  });
  return root;
}

describe('probe on a node printing hostile text', () => {
  it('stays format 1 with every value bounded, and injects nothing', async ({ expect }) => {
    const root = buildHostileRoot();
    const run = await runProbe({
      env: fixtureEnv(root, { instanceId: 'i-0123\nnode.hostname=evil\r' }),
    });
    expect(run.stderr).toBe('');
    const lines = readProbeLines(run.stdout);
    expectFormat1Keys(lines);
    const expected: Record<string, string | RegExp> = {
      'node.id': 'i-0123',
      'node.hostname': 'h'.repeat(256),
      'os.id': 'ubuntu',
      'os.version_id': '22.04[2J',
      'os.pretty_name': `${PRETTY_PREFIX}${'A'.repeat(10_000)}`.slice(0, 256),
      'pkg.manager': 'rpm',
      'kernel.running': 'evil-kernel',
      'kernel.installed': '??kernel',
      'systemd.version': '[31msystemd 252[0m =HYPERLINK("http://x","y")',
      'systemd.package': '219-78.el7[31m',
      'systemd.running': '<script>alert(1)</script>',
      'systemd.pid1_deleted': '0',
      'systemd.bus_ms': /^\d+$/,
      'docker.version': 'end',
      'docker.package': '!error no answer',
      'docker.cgroup_driver': '??systemd?',
      'containerd.version': 'containerd 1.7.0x',
      'containerd.package': '!error no answer',
      'runc.version': 'r'.repeat(256),
      'runc.package': '!error no answer',
      'kubelet.version': 'Kubernetes v1.29.0',
      'kubelet.cgroup_driver': 'systemd',
      'cgroup.fs': 'cgroup2fs',
      'uptime.seconds': '!error unreadable',
      'reboot.required': '1',
      'symptom.pleg_24h': '2',
      'symptom.docker_ps_ms': /^\d+$/,
    };
    for (const [key, want] of Object.entries(expected)) {
      if (typeof want === 'string') expect.soft(probeValue(lines, key), key).toBe(want);
      else expect.soft(probeValue(lines, key), key).toMatch(want);
    }
  });
});
