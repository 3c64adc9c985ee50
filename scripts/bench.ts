/**
 * `npm run bench -- [--nodes 1000,10000,100000] [--format json|table]`: full local scans (the SSM
 * simulator and dynalite, real SDK clients) with every AWS call counted by SDK middleware, the
 * naive strategy for comparison, the evaluation hot path, a Lambda model at scale and a cost
 * model. docs/PERFORMANCE.md explains the figures. Each measurement runs in its own process.
 */
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, parseBenchOptions } from '../src/bench/bench-options.ts';
import { BenchUsageError } from '../src/bench/bench-usage-error.ts';
import { renderBenchTable } from '../src/bench/render-bench-table.ts';
import {
  type BenchTask,
  CHILD_FLAG,
  runBench,
  runTask,
  runTaskInChild,
  SERVERS_FLAG,
  serveInChild,
  startServersInChild,
} from '../src/bench/run-bench.ts';

// Node 20 is what the project runs locally; the SDK's notice about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const script = fileURLToPath(import.meta.url);

async function child(taskJson: string): Promise<number> {
  const result = await runTask(JSON.parse(taskJson) as BenchTask);
  await new Promise<void>((resolve, reject) => {
    process.send?.(result, (error: Error | null) => (error ? reject(error) : resolve()));
  });
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === CHILD_FLAG) return child(argv[1] ?? '{}');
  if (argv[0] === SERVERS_FLAG) {
    await serveInChild(argv[1] ?? '{}');
    return 0;
  }
  let options: ReturnType<typeof parseBenchOptions>;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const runners = {
    run: (task: BenchTask) => runTaskInChild(script, task),
    startServers: startServersInChild(script),
  };
  const report = await runBench(options, runners, (line) => {
    process.stderr.write(`bench: ${line}\n`);
  });
  process.stdout.write(
    options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderBenchTable(report),
  );
  return report.targets.every((t) => t.met) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
