import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { HANG_ANSWERED, HANG_FIXTURE, HANG_TIMEOUT_KEYS } from '../fixtures/probe/fixture-table.ts';
import {
  fixtureEnv,
  fixtureRoot,
  runProbe,
  type Shell,
  type ToolSet,
  toolsDir,
} from '../fixtures/probe/run-probe.ts';
import { expectFormat1Keys, readProbeLines, probeValue } from './probe-lines.ts';
import { newRunTag, processesTagged } from './tagged-processes.ts';

/**
 * The probe on a node where docker, containerd, runc, kubelet, systemctl, busctl, dbus-send,
 * journalctl, rpm and needs-restarting all hang (test/fixtures/probe/roots/hang-everything), with
 * a short bound per command, under each way of bounding. The run at the default bounds, proving
 * the 30 s guarantee, is in probe-fixtures.test.ts, where the other fixture runs fill its wait.
 */

const BOUND_SECONDS = 0.3;
/** Ten bounded commands hang (kubelet ignores TERM: one more second) plus process start-up. */
const QUICK_RUN_LIMIT_MS = 12_000;

async function runHanging(shell: Shell, tools: ToolSet, extra: Record<string, string> = {}) {
  const tag = newRunTag();
  const run = await runProbe({
    shell,
    env: fixtureEnv(fixtureRoot(HANG_FIXTURE), {
      tools,
      extra: { FLEET_PROBE_CMD_TIMEOUT: String(BOUND_SECONDS), ...tag, ...extra },
    }),
  });
  return { run, leftovers: processesTagged(tag) };
}

describe.concurrent('probe on a node where everything hangs', () => {
  const VARIANTS: readonly (readonly [Shell, ToolSet])[] = [
    ['sh', 'gnu'],
    ['bash', 'gnu'],
    ['busybox', 'busybox'],
    ['dash', 'gnu-without-timeout'],
  ];

  it.for(VARIANTS)(
    'still ends with `end`, quickly with a 0.3 s bound, under %s with %s tools',
    async ([shell, tools], { expect }) => {
      const { run, leftovers } = await runHanging(shell, tools);
      const lines = readProbeLines(run.stdout);
      expectFormat1Keys(lines);
      expect(run.durationMs).toBeLessThan(QUICK_RUN_LIMIT_MS);
      for (const key of HANG_TIMEOUT_KEYS) expect.soft(probeValue(lines, key), key).toBe('!timeout');
      for (const [key, value] of Object.entries(HANG_ANSWERED))
        expect.soft(probeValue(lines, key), key).toBe(value);
      expect(leftovers, 'processes still running after the probe ended').toEqual([]);
    },
  );

  it('skips what the time budget no longer covers, and says so', async ({ expect }) => {
    const { run, leftovers } = await runHanging('sh', 'gnu', { FLEET_PROBE_BUDGET: '1' });
    const lines = readProbeLines(run.stdout);
    expectFormat1Keys(lines);
    const values = [...lines.values.values()];
    expect(values).toContain('!error budget spent');
    expect(probeValue(lines, 'systemd.package'), 'the first hung command still ran').toBe('!timeout');
    expect(probeValue(lines, 'symptom.pleg_24h'), 'the last one did not').toBe('!error budget spent');
    // 1 s budget + 1 s kill grace + start-up.
    expect(run.durationMs).toBeLessThan(6000);
    expect(leftovers).toEqual([]);
  });

  it('asks no more of a daemon or bus that did not answer', async ({ expect }) => {
    // docker and systemctl stand-ins that hang and log each call, beside the other hung ones.
    const scratch = mkdtempSync(join(tmpdir(), 'fleet-probe-hang-calls-'));
    try {
      const bin = join(scratch, 'bin');
      mkdirSync(bin);
      const hangBin = join(fixtureRoot(HANG_FIXTURE), 'bin');
      for (const name of readdirSync(hangBin)) {
        if (name !== 'docker' && name !== 'systemctl') {
          symlinkSync(realpathSync(join(hangBin, name)), join(bin, name));
        }
      }
      const log = join(scratch, 'calls.log');
      for (const name of ['docker', 'systemctl']) {
        writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >>"$CALL_LOG"\nexec sleep 86400\n`, {
          mode: 0o755,
        });
      }
      const tag = newRunTag();
      const env = fixtureEnv(fixtureRoot(HANG_FIXTURE), {
        extra: { FLEET_PROBE_CMD_TIMEOUT: String(BOUND_SECONDS), CALL_LOG: log, ...tag },
      });
      const run = await runProbe({ env: { ...env, PATH: `${bin}:${toolsDir('gnu')}` } });
      const lines = readProbeLines(run.stdout);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
        'systemctl --version',
        'docker version --format {{.Server.Version}}',
      ]);
      expect(probeValue(lines, 'systemd.running'), 'the bus ping hung').toBe('!timeout');
      expect(probeValue(lines, 'docker.cgroup_driver')).toBe('!timeout');
      expect(probeValue(lines, 'symptom.docker_ps_ms')).toBe('!timeout');
      expect(processesTagged(tag)).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
