import {
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
import { afterAll, describe, it } from 'vitest';
import { PROFILES_DIR, recordProfile } from '../../scripts/record-profiles.ts';
import {
  HANG_FIXTURE,
  HANG_TIMEOUT_KEYS,
  MS,
  PROBE_FIXTURES,
  type ProbeFixture,
  VOLATILE_KEYS,
} from '../fixtures/probe/fixture-table.ts';
import {
  FIXTURE_ROOTS,
  fixtureEnv,
  fixtureRoot,
  runProbe,
  type Shell,
  type ToolSet,
  toolsDir,
} from '../fixtures/probe/run-probe.ts';
import { expectFormat1Keys, type ProbeLines, probeValue, readProbeLines } from './probe-lines.ts';
import { newRunTag, processesTagged } from './tagged-processes.ts';

/**
 * The real probe on every fixture root (test/fixtures/probe/fixture-table.ts says what each value
 * must be and where it comes from), under every shell and tool set it must work with; and on the
 * hang fixture at the default bounds, the 30 s guarantee (its 25 s of waiting overlap the rest).
 */

/** DESIGN §3.1: one ListCommandInvocations page carries 50 nodes at 2,500 characters each. */
const TYPICAL_OUTPUT_LIMIT = 2500;

const references = new Map<string, Promise<string>>();

/** The sh + GNU tools run of a fixture, made by the function that records the profiles. */
function reference(fixture: ProbeFixture): Promise<string> {
  let run = references.get(fixture.name);
  if (!run) {
    run = recordProfile(fixture);
    references.set(fixture.name, run);
  }
  return run;
}

function fixtureNamed(name: string): ProbeFixture {
  const fixture = PROBE_FIXTURES.find((f) => f.name === name);
  if (!fixture) throw new Error(`no probe fixture named ${name}`);
  return fixture;
}

function stableValues(lines: ProbeLines): Record<string, string> {
  return Object.fromEntries([...lines.values].filter(([key]) => !VOLATILE_KEYS.has(key)));
}

function withoutVolatile(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const key = line.slice(0, line.indexOf('='));
      return VOLATILE_KEYS.has(key) ? `${key}=<volatile>` : line;
    })
    .join('\n');
}

const sizes = new Map<string, number>();

afterAll(() => {
  const table = [...sizes].map(([name, bytes]) => `  ${name.padEnd(22)} ${bytes} bytes`).join('\n');
  if (table) console.log(`probe output size per fixture:\n${table}`);
});

describe.concurrent('probe on each fixture root', () => {
  it('ends with `end` within 30 s at the default bounds on the node where everything hangs', {
    timeout: 45_000,
  }, async ({ expect }) => {
    const tag = newRunTag();
    const run = await runProbe({ env: fixtureEnv(fixtureRoot(HANG_FIXTURE), { extra: tag }) });
    const lines = readProbeLines(run.stdout);
    expectFormat1Keys(lines);
    console.log(`hang-everything at the default bounds: ${Math.round(run.durationMs)} ms`);
    expect(run.durationMs).toBeLessThan(30_000);
    for (const key of HANG_TIMEOUT_KEYS) {
      // The budget may run out before the last hung command: then it is skipped, and says so.
      expect.soft(['!timeout', '!error budget spent'], key).toContain(probeValue(lines, key));
    }
    expect(probeValue(lines, 'systemd.package'), 'first hung command').toBe('!timeout');
    expect(probeValue(lines, 'docker.version')).toBe('!timeout');
    expect(processesTagged(tag), 'processes still running after the probe ended').toEqual([]);
  });

  it('has an expected-values row for every fixture root, and a root for every row', ({ expect }) => {
    const roots = readdirSync(FIXTURE_ROOTS).sort();
    expect(roots).toEqual([...PROBE_FIXTURES.map((f) => f.name), HANG_FIXTURE].sort());
  });

  it.for(PROBE_FIXTURES)('prints the expected values on $name', async (fixture, { expect }) => {
    const stdout = await reference(fixture);
    const lines = readProbeLines(stdout);
    expectFormat1Keys(lines);
    for (const [key, [expected, source]] of Object.entries(fixture.expected)) {
      const actual = probeValue(lines, key);
      if (expected === MS) expect.soft(actual, `${key} (${source})`).toMatch(/^\d+$/);
      else expect.soft(actual, `${key} (${source})`).toBe(expected);
    }
    expect(Object.keys(fixture.expected).sort(), 'the row covers every key').toEqual([...lines.keys].sort());
    const bytes = Buffer.byteLength(stdout);
    sizes.set(fixture.name, bytes);
    expect(bytes).toBeLessThan(TYPICAL_OUTPUT_LIMIT);
  });

  it.for(PROBE_FIXTURES)('has the committed profile of $name up to date', async (fixture, { expect }) => {
    const committed = readFileSync(join(PROFILES_DIR, `${fixture.name}.txt`), 'utf8');
    readProbeLines(committed);
    expect(withoutVolatile(await reference(fixture)), 'run npx tsx scripts/record-profiles.ts').toBe(
      withoutVolatile(committed),
    );
  });

  // Same facts whatever runs the probe: bash (the default above is dash), busybox ash with busybox
  // applets (no date +%N, no GNU timeout: setsid watchdog), GNU tools without timeout (setsid
  // watchdog) or without timeout and setsid (the last-resort watchdog).
  const VARIANTS: readonly (readonly [string, Shell, ToolSet])[] = [
    ['centos-7.6-unfixed', 'busybox', 'busybox'],
    ['centos-7.6-unfixed', 'dash', 'gnu-without-timeout'],
    ['ubuntu-22.04', 'busybox', 'busybox'],
    ['ubuntu-22.04', 'bash', 'gnu'],
    ['debian-12-pid1-stale', 'busybox', 'busybox'],
    ['debian-12-pid1-stale', 'bash', 'gnu-without-timeout'],
    ['amzn-2-old', 'sh', 'gnu-without-timeout-setsid'],
  ];
  it.for(VARIANTS)(
    'prints the same facts on %s under %s with %s tools',
    async ([name, shell, tools], { expect }) => {
      const fixture = fixtureNamed(name);
      const [stdout, run] = await Promise.all([
        reference(fixture),
        runProbe({ shell, env: fixtureEnv(fixtureRoot(name), { tools, instanceId: fixture.instanceId }) }),
      ]);
      expect(run.stderr).toBe('');
      expect(stableValues(readProbeLines(run.stdout))).toEqual(stableValues(readProbeLines(stdout)));
    },
  );
});

describe('probe on a node without busctl', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'fleet-probe-dbus-send-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('pings PID 1 with dbus-send instead', async ({ expect }) => {
    const fixture = fixtureNamed('debian-12');
    const root = fixtureRoot(fixture.name);
    // The fixture's stand-ins minus busctl, plus a dbus-send whose PID 1 answers.
    for (const name of readdirSync(join(root, 'bin'))) {
      if (name !== 'busctl') symlinkSync(realpathSync(join(root, 'bin', name)), join(scratch, name));
    }
    writeFileSync(
      join(scratch, 'dbus-send'),
      [
        '#!/bin/sh',
        'case "$*" in',
        "  '--system --print-reply --dest=org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.DBus.Peer.Ping')",
        "    echo 'method return time=1700000000.000000 sender=:1.0 -> destination=:1.42 serial=7 reply_serial=2' ;;",
        '  *) exit 64 ;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const env = fixtureEnv(root, { instanceId: fixture.instanceId });
    const run = await runProbe({ env: { ...env, PATH: `${scratch}:${toolsDir('gnu')}` } });
    const lines = readProbeLines(run.stdout);
    expect(probeValue(lines, 'systemd.bus_ms')).toMatch(/^\d+$/);
    expect(probeValue(lines, 'systemd.running')).toBe('252.38-1~deb12u1');
  });
});
