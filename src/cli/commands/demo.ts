import { join } from 'node:path';
import type { Command } from 'commander';
import type { NodeState } from '../../core/store/node-state.ts';
import { renderScanSummary } from '../../core/render/scan-summary.ts';
import { renderTextTable } from '../../core/render/text-table.ts';
import { DEFAULT_DATA_DIR } from '../../local/data-dir.ts';
import type { CliIo } from '../io.ts';
import { loadCatalog } from '../load-catalog.ts';
import { parseSelection, readAtRisk } from './at-risk.ts';
import { report } from './report.ts';
import { parseScanOptions, runScanWithProgress } from './scan.ts';

interface DemoOptions {
  nodes: string;
  seed: string;
  faults: string;
  dataDir: string;
}

const AT_RISK_ROWS = 15;

export function registerDemo(program: Command, io: CliIo, setResult: (p: Promise<number>) => void): void {
  program
    .command('demo')
    .description('the main job on the embedded default: scan a simulated fleet, then show its at-risk list')
    .option('--nodes <n>', 'size of the simulated fleet', '3000')
    .option('--seed <s>', 'seed of the simulated fleet', '42')
    .option('--faults <mode>', 'fault profile: none, chaos, hostile', 'chaos')
    .option('--data-dir <dir>', 'where the embedded store keeps the results', join(DEFAULT_DATA_DIR, 'demo'))
    .addHelpText(
      'after',
      `
Runs scan --local on a simulated fleet of recorded distro profiles (CentOS 7, RHEL 7.6 z-stream,
RHEL 8, Amazon Linux 2 and 2023, Ubuntu 18.04-24.04, Debian 10 and 12), with the chaos fault
profile by default (throttling, unreachable nodes, cut and garbled outputs), then lists the
nodes to fix first. Afterwards, try:
  $ npm run --silent cli -- at-risk --local --data-dir ${join(DEFAULT_DATA_DIR, 'demo')}
  $ npm run --silent cli -- evaluate src/local/profiles/centos-7.6-unfixed.txt --format table`,
    )
    .action((options: DemoOptions) => {
      setResult(demo(io, options));
    });
}

async function demo(io: CliIo, options: DemoOptions): Promise<number> {
  const spec = parseScanOptions({ ...options, format: 'table' });
  io.stdout(
    `fleet-compliance demo: scanning ${spec.nodes} simulated nodes (faults: ${spec.faults}) through the local SSM simulator into ${options.dataDir}\n\n`,
  );
  const started = Date.now();
  const result = await runScanWithProgress(io, { ...spec, dataDir: options.dataDir });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ssmCalls = Object.values(result.calls.ssm.calls).reduce((a, b) => a + b, 0);
  const taggingCalls = Object.values(result.calls.tagging.calls).reduce((a, b) => a + b, 0);
  const dynamoCalls = Object.values(result.calls.dynamodb.calls).reduce((a, b) => a + b, 0);
  const perNode = ((ssmCalls + taggingCalls + dynamoCalls) / Math.max(1, result.summary.targeted)).toFixed(3);
  io.stdout(
    renderScanSummary(result.summary, [
      `API calls: SSM ${ssmCalls}, tagging ${taggingCalls}, DynamoDB ${dynamoCalls} (${perNode} per node). Took ${seconds} s.`,
    ]),
  );

  // The at-risk command's own list and order (most urgent first, by the catalog's severities).
  const { states: nodes } = await readAtRisk(
    { kind: 'local', dataDir: options.dataDir, scanHint: 'run the demo again' },
    {},
    { filter: parseSelection({ tag: [] }), catalog: await loadCatalog({}), now: new Date() },
  );
  io.stdout(`\nFix first (${nodes.length} nodes at risk or pending a reboot; the ${Math.min(AT_RISK_ROWS, nodes.length)} most urgent):\n`);
  io.stdout(renderTextTable(['NODE', 'CLUSTER', 'STATUS', 'FINDINGS', 'OS'], nodes.slice(0, AT_RISK_ROWS).map(atRiskRow)));
  io.stdout('\nCompliance report: ');
  return report(io, { local: true, dataDir: options.dataDir, out: join(options.dataDir, 'report'), runs: '20' });
}

function atRiskRow(s: NodeState): string[] {
  const findings =
    s.findings.map((f) => `${f.id}${f.hangInProgress ? ' (hang now)' : ''}`).join(', ') ||
    s.pending.map((p) => `${p.id}: ${p.action}`).join(', ');
  return [s.node, s.tags.cluster ?? '-', s.status, findings, s.facts.os ?? '-'];
}
