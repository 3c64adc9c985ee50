import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReport } from '../../src/cli/commands/report.ts';
import { UsageError } from '../../src/cli/errors.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { AppError, describeError } from '../../src/core/errors.ts';
import type { NodeState } from '../../src/core/store/node-state.ts';
import type { ScanRun } from '../../src/core/store/scan-run.ts';
import { openLocalStore } from '../../src/local/local-environment.ts';
import { parseCsv } from '../core/report/csv-parse.ts';
import { countStatuses, nodeState, scanRun } from '../core/report/report-fixtures.ts';
import { type CliResult, runCli } from '../helpers/cli-harness.ts';

/**
 * Runs `report` through src/cli/run.ts once the command is wired there; until then through a
 * program built the same way (same registration, same error-to-exit-code mapping).
 */
let wired: boolean | undefined;
async function runReport(argv: readonly string[], cwd: string): Promise<CliResult> {
  wired ??= (await runCli(['report', '--help'])).stdout.includes('--data-dir');
  if (wired) return runCli(['report', ...argv], '', cwd);
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stdin: () => Readable.from([]),
    isInteractive: false,
    cwd,
    env: {},
  };
  let pending: Promise<number> | undefined;
  const program = new Command('fleet-compliance')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerReport(program, io, (p) => {
    pending = p;
  });
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(['report', ...argv], { from: 'user' });
    return { code: await pending!, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2, stdout, stderr };
    stderr += `error: ${describeError(error)}\n`;
    return { code: error instanceof UsageError ? 2 : error instanceof AppError ? 1 : 1, stdout, stderr };
  }
}

// The command reads with the real clock, and the store leaves expired items out: recent times.
const DAY = 86_400_000;
const T1 = new Date(Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 6 * 3_600_000).toISOString();
const T2 = new Date(Date.parse(T1) + DAY).toISOString();
const at = (t: string) => new Date(Date.parse(t) + 60_000).toISOString();

async function fill(dataDir: string, runs: readonly ScanRun[], states: readonly NodeState[]): Promise<void> {
  const local = await openLocalStore(dataDir);
  try {
    await local.store.putNodeStates(states);
    for (const run of runs) await local.store.saveRun(run);
  } finally {
    await local.close();
  }
}

describe('cli report --local', () => {
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fc-cli-report-'));
    dataDir = join(root, 'data');
    const first = [
      nodeState({ node: 'i-a', runId: 'r1', at: at(T1) }),
      nodeState({ node: 'i-b', runId: 'r1', at: at(T1) }),
      nodeState({ node: 'i-c', runId: 'r1', at: at(T1), hostname: '=HYPERLINK("http://evil.example","x")' }),
    ];
    await fill(dataDir, [scanRun('r1', T1, 'COMPLETE', { byStatus: countStatuses(first) })], first);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('writes report.html, report.json and report.csv and prints where, with the summary', async () => {
    const out = join(root, 'out');
    const r = await runReport(['--local', '--data-dir', dataDir, '--out', 'out'], root);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Report of scan r1 (started ${T1}, 3 nodes):`);
    expect(r.stdout).toContain('  All 3 nodes are compliant.');
    for (const name of ['report.html', 'report.json', 'report.csv'])
      expect(r.stdout).toContain(join(out, name));
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(json).toMatchObject({ formatVersion: 1, scan: { runId: 'r1' }, totals: { nodes: 3 } });
    const csv = parseCsv(await readFile(join(out, 'report.csv'), 'utf8'));
    expect(csv).toHaveLength(4);
    expect(csv.find((row) => row[0] === 'i-c')![1]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h1>Fleet compliance report</h1>');
    expect(html).not.toContain('<script');
  });

  it('names new nodes and changes on the next scan, from the earlier report in --out', async () => {
    const out = join(root, 'out');
    const second = [
      nodeState({ node: 'i-a', runId: 'r2', at: at(T2) }),
      nodeState({ node: 'i-b', runId: 'r2', at: at(T2), findings: [['RUNC-CVE-2024-21626', 'high', true]] }),
      nodeState({ node: 'i-d', runId: 'r2', at: at(T2) }),
    ];
    await fill(dataDir, [scanRun('r2', T2, 'COMPLETE', { byStatus: countStatuses(second) })], second);

    const r = await runReport(
      ['--local', '--data-dir', dataDir, '--out', out, '--runs', '5', '--title', 'Weekly fleet'],
      root,
    );

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 of 3 nodes is at risk; 1 shows a hang in progress.');
    expect(r.stdout).toContain('Since scan r1: 1 newly at risk, 0 remediated, 0 newly unreachable, 1 new.');
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(json.title).toBe('Weekly fleet');
    expect(json.changes.newNodes.map((n: { node: string }) => n.node)).toEqual(['i-d']);
    expect(json.notInLatestScan.map((n: { node: string }) => n.node)).toEqual(['i-c']);
    expect(json.trend.map((p: { runId: string }) => p.runId)).toEqual(['r1', 'r2']);
    // The advisory's title comes from the built-in catalog.
    expect(json.byAdvisory[0]).toMatchObject({ id: 'RUNC-CVE-2024-21626', nodes: 1 });
    expect(json.byAdvisory[0].title).toEqual(expect.any(String));
  });

  it('says to run a scan first when the data directory holds none, without creating it', async () => {
    const missing = join(root, 'nothing-here');
    const r = await runReport(['--local', '--data-dir', missing, '--out', join(root, 'o2')], root);

    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: no complete scan in the store yet: run \`scan --local --data-dir ${missing}\` first`,
    );
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(root, 'o2'))).toBe(false);
  });

  it('says the same when the only scan has not completed', async () => {
    const running = join(root, 'running');
    await fill(
      running,
      [scanRun('r9', T1, 'RUNNING')],
      [nodeState({ node: 'i-z', runId: 'r9', at: at(T1) })],
    );

    const r = await runReport(['--local', '--data-dir', running, '--out', join(root, 'o3')], root);

    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no complete scan in the store yet: run `scan --local');
  });

  it.for([
    [['--local'], '--out <dir> is required'],
    [['--out', 'x'], 'choose a store: --local'],
    [['--local', '--table', 't', '--out', 'x'], 'choose one store'],
    [['--local', '--out', 'x', '--runs', '0'], '--runs must be a whole number from 1 to 100'],
    [['--local', '--out', 'x', '--region', 'eu-west-1'], '--region goes with --table'],
  ] as const)('rejects %j as a usage error (exit 2)', async ([argv, message]) => {
    const r = await runReport(argv, root);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('explains itself with examples under --help', async () => {
    const r = await runReport(['--help'], root);

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('fleet-compliance report --local --out reports/');
    expect(r.stdout).toContain('Exit codes: 0 written, 1 failed');
  });
});
