import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, it } from 'vitest';
import { VOLATILE_KEYS } from '../fixtures/probe/fixture-table.ts';
import { type ProbeRun, runProbe, SHELLS, type Shell } from '../fixtures/probe/run-probe.ts';
import { expectFormat1Keys, readProbeLines, probeValue } from './probe-lines.ts';

/**
 * The probe on this very machine (a Debian 12 host, PID 1 not systemd, docker CLI without a
 * daemon), with no root override and the machine's own PATH: what SSM would run here.
 */

const runs = new Map<Shell, Promise<ProbeRun>>();

function runOnHost(shell: Shell): Promise<ProbeRun> {
  let run = runs.get(shell);
  if (!run) {
    run = runProbe({ shell, env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' } });
    runs.set(shell, run);
  }
  return run;
}

function osReleaseId(): string {
  const line = readFileSync('/etc/os-release', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ID='));
  return (line ?? 'ID=').slice(3).replace(/^"(.*)"$/, '$1');
}

describe.concurrent('probe on this machine', () => {
  it.for(SHELLS)('prints format 1 with the machine’s own facts under %s', async (shell, { expect }) => {
    const run = await runOnHost(shell);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = readProbeLines(run.stdout);
    expectFormat1Keys(lines);
    expect(probeValue(lines, 'kernel.running')).toBe(
      execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(),
    );
    expect(probeValue(lines, 'os.id')).toBe(osReleaseId());
    expect(probeValue(lines, 'node.hostname')).toBe(hostname());
    expect(probeValue(lines, 'node.id'), 'no AWS_SSM_INSTANCE_ID: the hostname').toBe(hostname());
    expect(probeValue(lines, 'pkg.manager')).toBe('dpkg');
    expect(probeValue(lines, 'uptime.seconds')).toMatch(/^\d+$/);
    expect(run.stdoutBytes).toBeLessThan(2500);
  });

  it('prints the same facts under every shell', async ({ expect }) => {
    const [first, ...others] = await Promise.all(SHELLS.map(runOnHost));
    const stable = (run: ProbeRun | undefined) =>
      [...readProbeLines(run?.stdout ?? '').values].filter(
        ([key]) => !VOLATILE_KEYS.has(key) && key !== 'uptime.seconds',
      );
    for (const other of others) expect(stable(other)).toEqual(stable(first));
  });
});
