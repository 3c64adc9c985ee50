import type { Command } from 'commander';
import { describeError } from '../../core/errors.ts';
import { renderScanSummary } from '../../core/render/scan-summary.ts';
import type { FleetFaultMode } from '../../local/fleet/virtual-fleet.ts';
import { DEFAULT_DATA_DIR } from '../../local/data-dir.ts';
import { FAULT_MODES } from '../../local/fleet/virtual-fleet.ts';
import type { LocalScanResult } from '../../local/local-scan.ts';
import { UsageError } from '../errors.ts';
import { type CliIo, EXIT_OK } from '../io.ts';
import { loadCatalog } from '../load-catalog.ts';
import { createProgressBar } from '../progress.ts';

export interface ScanOptions {
  local?: boolean;
  dataDir: string;
  nodes: string;
  seed: string;
  faults: string;
  format: string;
  advisories?: string;
}

const MAX_NODES = 200_000;

export function registerScan(program: Command, io: CliIo, setResult: (p: Promise<number>) => void): void {
  program
    .command('scan')
    .description('run a full scan: send the probe, collect every node, judge and store the verdicts')
    .option('--local', 'scan a simulated fleet through the local SSM simulator into the embedded store')
    .option('--data-dir <dir>', 'where the embedded store keeps its data between commands', DEFAULT_DATA_DIR)
    .option('--nodes <n>', 'size of the simulated fleet', '2000')
    .option('--seed <s>', 'seed of the simulated fleet (same seed, same fleet)', '1')
    .option('--faults <mode>', `fault profile of the simulated fleet: ${FAULT_MODES.join(', ')}`, 'none')
    .option('--format <format>', 'output: table or json', 'table')
    .option('--advisories <file>', 'a catalog file that adds or overrides advisories')
    .addHelpText(
      'after',
      `
Local mode runs the same dispatch, check, collect and finalize steps as the deployed state
machine, with the real AWS SDK clients talking to a local SSM simulator and an embedded DynamoDB
(dynalite) kept in --data-dir, so at-risk, report and campaign see the results afterwards.

Fault profiles: none; chaos (throttling bursts, undeliverable, offline and timed-out nodes,
truncated, oversized and garbage outputs); hostile (injection strings in node values).

In AWS the scan runs on its schedule (EventBridge -> Step Functions); start one at any time with
  aws stepfunctions start-execution --state-machine-arn <ScanStateMachineArn stack output>

Examples:
  $ fleet-compliance scan --local --nodes 5000
  $ fleet-compliance scan --local --faults chaos --format json | jq .byStatus`,
    )
    .action((options: ScanOptions) => {
      setResult(scan(io, options));
    });
}

export function parseScanOptions(options: ScanOptions): { nodes: number; seed: number; faults: FleetFaultMode } {
  const nodes = Number(options.nodes);
  const seed = Number(options.seed);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new UsageError(`--nodes must be a whole number from 1 to ${MAX_NODES}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError('--seed must be a whole number >= 0');
  if (!(FAULT_MODES as readonly string[]).includes(options.faults)) {
    throw new UsageError(`unknown fault profile "${options.faults}" (expected ${FAULT_MODES.join(', ')})`);
  }
  if (options.format !== 'json' && options.format !== 'table') throw new UsageError(`unknown format "${options.format}"`);
  return { nodes, seed, faults: options.faults as FleetFaultMode };
}

/** Runs a local scan with a progress bar on a terminal; shared by `scan` and `demo`. */
export async function runScanWithProgress(
  io: CliIo,
  spec: { nodes: number; seed: number; faults: FleetFaultMode; dataDir: string; advisories?: string },
): Promise<LocalScanResult> {
  const catalog = await loadCatalog({ advisories: spec.advisories });
  const bar = createProgressBar(io.stderr, io.isInteractive, 'collecting');
  try {
    // Loaded here, not at start-up: the pipeline, the simulator and dynalite are most of the load time.
    const { runLocalScan } = await import('../../local/local-scan.ts');
    return await runLocalScan({
      ...spec,
      catalog,
      onProgress: ({ collected, targeted }) => bar.update(collected, targeted),
    });
  } finally {
    bar.finish();
  }
}

async function scan(io: CliIo, options: ScanOptions): Promise<number> {
  if (!options.local) {
    throw new UsageError(
      'scan needs --local here; deployed scans run on their schedule (see scan --help to start one now)',
    );
  }
  const spec = parseScanOptions(options);
  const started = Date.now();
  let result: LocalScanResult;
  try {
    result = await runScanWithProgress(io, { ...spec, dataDir: options.dataDir, advisories: options.advisories });
  } catch (error) {
    throw new Error(`local scan failed: ${describeError(error)}`, { cause: error });
  }
  const { summary } = result;
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ ...summary, calls: result.calls, timingsMs: result.timingsMs }, null, 2)}\n`);
  } else {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout(renderScanSummary(summary, [`Took ${seconds} s; results stored in ${options.dataDir}.`]));
  }
  return EXIT_OK;
}
