/**
 * Records the local fleet simulator's node outputs: runs the real probe (probe/probe.sh) on every
 * fixture root of test/fixtures/probe/roots except the hang fixture, and writes what it printed to
 * <out>/<name>.txt (default out: src/local/profiles). The simulator serves these as its nodes'
 * outputs, so the demo fleet speaks real probe output.
 *
 * Usage: npx tsx scripts/record-profiles.ts [OUT_DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROBE_FIXTURES, type ProbeFixture } from '../test/fixtures/probe/fixture-table.ts';
import { PROFILES_DIR } from '../src/local/fleet/load-profiles.ts';
import { fixtureEnv, fixtureRoot, runProbe } from '../test/fixtures/probe/run-probe.ts';

export { PROFILES_DIR };

/** Runs the probe on one fixture root as the simulator's node would print it; throws if it failed. */
export async function recordProfile(fixture: ProbeFixture): Promise<string> {
  const run = await runProbe({
    env: fixtureEnv(fixtureRoot(fixture.name), { instanceId: fixture.instanceId }),
  });
  if (run.code !== 0 || run.stderr !== '' || !run.stdout.endsWith('\nend\n')) {
    throw new Error(`probe on fixture ${fixture.name} failed (exit ${run.code}): ${run.stderr}`);
  }
  return run.stdout;
}

/** Records the named profiles (default: all) into outDir, four at a time; returns the names. */
export async function recordProfiles(
  outDir: string,
  names: readonly string[] = PROBE_FIXTURES.map((f) => f.name),
): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const queue = names.map((name) => {
    const fixture = PROBE_FIXTURES.find((f) => f.name === name);
    if (!fixture) throw new Error(`no probe fixture named ${name}`);
    return fixture;
  });
  const worker = async () => {
    for (let fixture = queue.shift(); fixture; fixture = queue.shift()) {
      writeFileSync(join(outDir, `${fixture.name}.txt`), await recordProfile(fixture));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return [...names];
}

async function main(): Promise<number> {
  const outDir = resolve(process.argv[2] ?? PROFILES_DIR);
  const names = await recordProfiles(outDir);
  console.log(`recorded ${names.length} profiles in ${outDir}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
