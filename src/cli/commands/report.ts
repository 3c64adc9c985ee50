import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { describeError } from '../../core/errors.ts';
import { buildReport, DEFAULT_TREND_RUNS } from '../../core/report/build-report.ts';
import type { ComplianceReport } from '../../core/report/compliance-report.ts';
import { countOf } from '../../core/report/format-count.ts';
import { NoCompleteScanError } from '../../core/report/no-complete-scan-error.ts';
import { type ReportBaseline, readReportBaseline } from '../../core/report/report-baseline.ts';
import { readReportSources } from '../../core/report/read-report-sources.ts';
import { renderReportFiles } from '../../core/report/render-report-files.ts';
import type { FleetStore } from '../../core/store/fleet-store.ts';
import { DEFAULT_DATA_DIR } from '../../local/data-dir.ts';
import { UsageError } from '../errors.ts';
import { type CliIo, EXIT_OK } from '../io.ts';
import { loadCatalog } from '../load-catalog.ts';

export interface ReportOptions {
  local?: boolean;
  dataDir: string;
  out?: string;
  table?: string;
  region?: string;
  runs: string;
  title?: string;
  advisories?: string;
}

const MAX_TREND_RUNS = 100;
/** An earlier report.json larger than this is not read for its node list. */
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

export function registerReport(program: Command, io: CliIo, setResult: (p: Promise<number>) => void): void {
  program
    .command('report')
    .description(
      'write the compliance report of the latest complete scan: report.html, report.json, report.csv',
    )
    .option('--local', 'read the embedded store of local mode (kept in --data-dir)')
    .option('--data-dir <dir>', 'where the embedded store keeps its data', DEFAULT_DATA_DIR)
    .option('--out <dir>', 'directory to write the three files into (created if missing)')
    .option('--table <name>', 'AWS mode: the fleet table (the stack output FleetTableName)')
    .option('--region <region>', 'AWS mode: the table region (default: the SDK default chain)')
    .option('--runs <n>', 'complete scans shown in the trend', String(DEFAULT_TREND_RUNS))
    .option('--title <text>', 'title of the report')
    .option(
      '--advisories <file>',
      'a catalog file with your own advisories (for their titles and remediation)',
    )
    .addHelpText(
      'after',
      `
The report describes the latest COMPLETE scan: status counts, at-risk nodes by advisory and by
severity, clusters and operating systems, hangs in progress, nodes waiting for a re-exec or
reboot, the trend over recent scans, what changed since the previous scan, coverage, and every
node. report.html is one self-contained file (no script, nothing loaded from the network).

New nodes since the previous scan are only known when --out already holds the report of that
scan: the command reads the earlier report.json there before replacing it.

Exit codes: 0 written, 1 failed (for example no complete scan yet), 2 usage error.

Examples:
  $ fleet-compliance scan --local && fleet-compliance report --local --out reports/
  $ fleet-compliance report --local --data-dir .fleet-compliance/demo --out /tmp/report --runs 30
  $ fleet-compliance report --table FleetTable-1ABC --region eu-west-1 --out reports/`,
    )
    .action((options: ReportOptions) => {
      setResult(report(io, options));
    });
}

/** Builds the report from a store and writes report.json, report.csv and report.html (also used by `demo`). */
export async function report(io: CliIo, options: ReportOptions): Promise<number> {
  const settings = parseOptions(io, options);
  const catalog = await loadCatalog({ advisories: options.advisories });
  const baseline = await readEarlierReport(io, settings.outDir);
  const now = new Date();

  const built = await withStore(settings, async (store) => {
    const sources = await readReportSources(store, now, settings.noScanHint);
    return buildReport({
      ...sources,
      now,
      trendRuns: settings.trendRuns,
      advisories: catalog.advisories,
      ...(options.title === undefined ? {} : { title: options.title }),
      ...(baseline === undefined ? {} : { baseline }),
    });
  });

  await mkdir(settings.outDir, { recursive: true });
  const written: string[] = [];
  for (const file of renderReportFiles(built)) {
    const path = join(settings.outDir, file.name);
    await writeWhole(path, file.body);
    written.push(path);
  }
  io.stdout(describeWritten(built, written));
  for (const warning of built.warnings) io.stderr(`warning: ${warning}\n`);
  return EXIT_OK;
}

interface ReportSettings {
  readonly mode:
    | { readonly kind: 'local'; readonly dataDir: string }
    | { readonly kind: 'aws'; readonly table: string; readonly region?: string };
  readonly outDir: string;
  readonly trendRuns: number;
  readonly noScanHint: string;
}

function parseOptions(io: CliIo, options: ReportOptions): ReportSettings {
  if (!options.out)
    throw new UsageError('--out <dir> is required: where to write report.html, report.json and report.csv');
  if (options.local && options.table) throw new UsageError('choose one store: --local or --table, not both');
  if (!options.local && !options.table) {
    throw new UsageError(
      'choose a store: --local (the embedded one) or --table <name> --region <region> (AWS)',
    );
  }
  if (options.local && options.region)
    throw new UsageError('--region goes with --table (AWS mode), not --local');
  const trendRuns = Number(options.runs);
  if (!Number.isInteger(trendRuns) || trendRuns < 1 || trendRuns > MAX_TREND_RUNS) {
    throw new UsageError(`--runs must be a whole number from 1 to ${MAX_TREND_RUNS}`);
  }
  const outDir = resolve(io.cwd, options.out);
  if (options.local) {
    const dataDir = resolve(io.cwd, options.dataDir);
    const flag = options.dataDir === DEFAULT_DATA_DIR ? '' : ` --data-dir ${options.dataDir}`;
    return {
      mode: { kind: 'local', dataDir },
      outDir,
      trendRuns,
      noScanHint: `run \`scan --local${flag}\` first`,
    };
  }
  return {
    mode: { kind: 'aws', table: options.table!, ...(options.region ? { region: options.region } : {}) },
    outDir,
    trendRuns,
    noScanHint: `no scan of table ${options.table} has completed; wait for the scheduled scan or start one with aws stepfunctions start-execution`,
  };
}

async function withStore<T>(settings: ReportSettings, use: (store: FleetStore) => Promise<T>): Promise<T> {
  const { mode } = settings;
  if (mode.kind === 'local') {
    // Reading must not create an empty store as a side effect.
    if (!existsSync(join(mode.dataDir, 'dynamodb'))) throw new NoCompleteScanError(settings.noScanHint);
    const { openLocalStore } = await import('../../local/local-environment.ts');
    const local = await openLocalStore(mode.dataDir);
    try {
      return await use(local.store);
    } finally {
      await local.close();
    }
  }
  const { createDynamoClients, DynamoFleetStore } = await import('../aws-adapters.ts');
  const clients = createDynamoClients(mode.region === undefined ? {} : { region: mode.region });
  try {
    return await use(new DynamoFleetStore({ doc: clients.doc, tableName: mode.table }));
  } finally {
    clients.destroy();
  }
}

/** The report already in --out, if it is one of ours: its node list tells which nodes are new. */
async function readEarlierReport(io: CliIo, outDir: string): Promise<ReportBaseline | undefined> {
  const path = join(outDir, 'report.json');
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_BASELINE_BYTES) return undefined;
    return readReportBaseline(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    io.stderr(`warning: not comparing with the earlier ${path}: ${describeError(error)}\n`);
    return undefined;
  }
}

/** Writes next to the target and renames: a reader never sees half a report. */
async function writeWhole(path: string, body: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, body, 'utf8');
  await rename(temporary, path);
}

function describeWritten(report: ComplianceReport, paths: readonly string[]): string {
  const { scan, changes } = report;
  const lines = [
    `Report of scan ${scan.runId} (started ${scan.startedAt}, ${countOf(report.totals.nodes, 'node')}):`,
    `  ${report.summary}`,
  ];
  if (changes.previousScan) {
    lines.push(
      `  Since scan ${changes.previousScan.runId}: ${changes.newlyAtRisk.length} newly at risk, ${changes.remediated.length} remediated, ` +
        `${changes.newlyUnreachable.length} newly unreachable, ${changes.newNodesKnown ? changes.newNodes.length : 'unknown'} new.`,
    );
  }
  lines.push('Wrote:', ...paths.map((p) => `  ${p}`));
  return `${lines.join('\n')}\n`;
}
