import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILES_DIR, recordProfiles } from '../../scripts/record-profiles.ts';
import { PROBE_FIXTURES, VOLATILE_KEYS } from '../fixtures/probe/fixture-table.ts';

/**
 * src/local/profiles/*.txt are the real probe's outputs on the fixture roots, written by
 * scripts/record-profiles.ts. Every profile is compared with a fresh run in
 * probe-fixtures.test.ts; here the script itself records into a temporary directory.
 */

const scratch = mkdtempSync(join(tmpdir(), 'fleet-probe-profiles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function withoutVolatile(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const key = line.slice(0, line.indexOf('='));
      return VOLATILE_KEYS.has(key) ? `${key}=<volatile>` : line;
    })
    .join('\n');
}

describe('recorded profiles', () => {
  it('hold one profile per fixture (the hang fixture excepted)', () => {
    expect(readdirSync(PROFILES_DIR).sort()).toEqual(PROBE_FIXTURES.map((f) => `${f.name}.txt`).sort());
  });

  it('are written again, equal but for the durations, by the recording script', async () => {
    const names = ['centos-7.6-unfixed', 'ubuntu-22.04', 'debian-12-pid1-stale'];
    expect(await recordProfiles(scratch, names)).toEqual(names);
    expect(readdirSync(scratch).sort()).toEqual(names.map((n) => `${n}.txt`).sort());
    for (const name of names) {
      const committed = readFileSync(join(PROFILES_DIR, `${name}.txt`), 'utf8');
      const recorded = readFileSync(join(scratch, `${name}.txt`), 'utf8');
      expect(withoutVolatile(recorded), name).toBe(withoutVolatile(committed));
    }
  });
});
