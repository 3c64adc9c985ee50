#!/usr/bin/env node
// The README's test command: typecheck, lint, then every vitest suite (unit, integration against
// dynalite and the SSM simulator, the real probe, CDK synth with cdk-nag). Ends with the one line
// CI reads, `N passed, N failed`, taken from vitest's JSON report; typecheck and lint each count
// as one check so a failure there is never hidden behind green tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
let passed = 0;
let failed = 0;

function step(name, cmd, args) {
  const started = Date.now();
  process.stderr.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  const ok = result.status === 0;
  process.stderr.write(`== ${name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return ok;
}

for (const [name, cmd, args] of [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['biome', 'lint', '.']],
]) {
  if (step(name, cmd, args)) passed += 1;
  else failed += 1;
}

mkdirSync('.vitest', { recursive: true });
const report = '.vitest/results.json';
if (existsSync(report)) rmSync(report);
const extra = process.argv.slice(2);
step('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...extra]);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that fails to load reports no failed test: count it so it cannot pass silently.
  failed += (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
} else {
  failed += 1;
  process.stderr.write('vitest wrote no JSON report\n');
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
