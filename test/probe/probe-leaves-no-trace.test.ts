import { lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { HANG_FIXTURE, PROBE_FIXTURES } from '../fixtures/probe/fixture-table.ts';
import { fixtureEnv, fixtureRoot, runProbe } from '../fixtures/probe/run-probe.ts';
import { readProbeLines } from './probe-lines.ts';

/**
 * The probe changes nothing on the node: no temporary files (it reads command output through
 * pipes), nothing written under the root it inspects, on the normal path and on the timeout path.
 */

const scratch = mkdtempSync(join(tmpdir(), 'fleet-probe-traces-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every entry under dir: path, type, size, modification time, link target. */
function snapshot(dir: string): string[] {
  const entries: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    const link = stat.isSymbolicLink() ? ` -> ${readlinkSync(path)}` : '';
    entries.push(`${relative(dir, path)} ${stat.mode} ${stat.size} ${stat.mtimeMs}${link}`);
    if (stat.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
  };
  walk(dir);
  return entries;
}

describe.concurrent('probe leaves no trace', () => {
  const CASES = [
    ['debian-12', {}],
    ['centos-7.6-unfixed', {}],
    [HANG_FIXTURE, { FLEET_PROBE_CMD_TIMEOUT: '0.2' }],
  ] as const;

  it.for(CASES)(
    'writes no file in TMPDIR or HOME and nothing under the root of %s',
    async ([name, extra], { expect }) => {
      const root = fixtureRoot(name);
      const temp = mkdtempSync(join(scratch, 'tmp-'));
      const home = mkdtempSync(join(scratch, 'home-'));
      const before = snapshot(root);
      const instanceId = PROBE_FIXTURES.find((f) => f.name === name)?.instanceId;
      const run = await runProbe({
        env: fixtureEnv(root, { instanceId, extra: { ...extra, TMPDIR: temp, HOME: home } }),
      });
      readProbeLines(run.stdout);
      expect(readdirSync(temp)).toEqual([]);
      expect(readdirSync(home)).toEqual([]);
      expect(snapshot(root)).toEqual(before);
    },
  );
});
