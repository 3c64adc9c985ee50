import {
  AWS_PRICES,
  LAMBDA_MB_PER_VCPU,
  LAMBDA_MB_PER_VCPU_SOURCE,
  type PriceName,
} from '../core/bench/aws-prices.ts';
import { lowerBoundCalls } from '../core/bench/lower-bound.ts';
import { pollsFor } from '../core/bench/lambda-model.ts';
import { SCAN_STEPS as PIPELINE_STEPS } from '../shared/runtime-settings.ts';
import {
  AWS_COMMAND_SECONDS,
  AWS_POLL_SECONDS,
  type BenchReport,
  COST_NODES,
  type LambdaScaleModel,
  LAMBDA_SETTINGS,
  OVERLAPPED_CALLS,
} from './bench-report.ts';
import type { ScanStep } from './measure-scan.ts';
import { totalOf } from './call-counter.ts';

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits: number): string => n.toFixed(digits);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const usd = (n: number): string =>
  n >= 100 ? `$${int(n)}` : n >= 0.01 ? `$${n.toFixed(2)}` : `$${n.toPrecision(2)}`;
const rate = (r: { cpuPerSecond: number; bestCpuPerSecond: number }): string =>
  `${int(r.bestCpuPerSecond)} (${int(r.cpuPerSecond)})`;
const load = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');

function operations(counts: Readonly<Record<string, Readonly<Record<string, number>>>>): string {
  return Object.entries(counts)
    .map(
      ([service, ops]) =>
        `${service}: ${Object.entries(ops)
          .map(([op, n]) => `${op} ${n}`)
          .join(', ')}`,
    )
    .join('; ');
}

function withinLimits(model: LambdaScaleModel, steps: readonly string[]): boolean {
  return model.steps
    .filter((s) => steps.includes(s.step))
    .every((s) => s.withinTimeout && s.withinMemory !== false);
}

function memoryNote(model: LambdaScaleModel, name: string): string {
  const s = model.steps.find((m) => m.step === name);
  return s?.withinMemory === false && s.localPeakRssMb !== null
    ? ` (${int(s.localPeakRssMb)} MB / ${s.memoryMb} MB)`
    : '';
}

/** The bench result as Markdown: what docs/PERFORMANCE.md shows, ready to paste. */
export function renderBenchTable(report: BenchReport): string {
  const out: string[] = [];
  const env = report.environment;
  out.push(`# fleet-compliance benchmark (${report.generatedAt})`);
  out.push('');
  out.push(
    `Node ${env.node}, ${env.cpus} x ${env.cpuModel}; load average ${load(env.loadBefore)} before, ${load(env.loadAfter)} after ` +
      `(1, 5, 15 min). Fleet seed ${report.settings.seed}, faults ${report.settings.faults}, ${report.settings.runs} scan(s) per size; times are medians.`,
  );

  out.push('', '## AWS calls per scan (counted by SDK middleware)', '');
  out.push(
    table(
      [
        'nodes',
        'calls/node',
        'SSM+DynamoDB only',
        'lower bound',
        'ratio',
        'naive/node',
        'naive / ours',
        'attempts/node',
        `at ${pollsFor(AWS_COMMAND_SECONDS, AWS_POLL_SECONDS)} polls`,
        'middleware = adapters',
      ],
      report.sizes.map((s) => [
        int(s.nodes),
        fixed(s.callsPerNode, 4),
        fixed(s.callsPerNodeSsmDynamo, 4),
        `${fixed(s.lowerBoundCallsPerNode, 4)} (${int(lowerBoundCalls(s.nodes))})`,
        `${fixed(s.ratioToLowerBound, 3)}x`,
        s.naiveCallsPerNode === null ? 'not run' : fixed(s.naiveCallsPerNode, 4),
        s.naiveToOurs === null ? '-' : `${fixed(s.naiveToOurs, 1)}x`,
        fixed(s.attemptsPerNode, 4),
        `${fixed(s.callsPerNodeAtAwsPolls, 4)} (${fixed(s.callsPerNodeAtAwsPolls / s.lowerBoundCallsPerNode, 3)}x)`,
        s.adapterCountsAgree ? 'yes' : 'NO',
      ]),
    ),
  );
  out.push('');
  for (const s of report.sizes) {
    out.push(`- ${int(s.nodes)} nodes, ${int(totalOf(s.calls))} calls: ${operations(s.calls)}.`);
    const errors = Object.entries(s.attemptErrors);
    if (errors.length > 0) out.push(`  Failed attempts: ${errors.map(([n, c]) => `${n} ${c}`).join(', ')}.`);
  }

  out.push('', '## Storage per node', '');
  out.push(
    table(
      [
        'nodes',
        'write units/node',
        'read units/node (scan)',
        'node item bytes (mean / max)',
        'report read units/node',
        'report bytes/node',
      ],
      report.sizes.map((s) => [
        int(s.nodes),
        fixed(s.writeUnitsPerNode, 3),
        fixed(s.readUnitsPerNode, 4),
        `${int(s.nodeItemBytes.mean)} / ${int(s.nodeItemBytes.max)}`,
        fixed(s.reportReadUnitsPerNode, 4),
        int(s.reportBytesPerNode),
      ]),
    ),
  );

  out.push('', '## Time per step (each step in its own process, as its Lambda; servers in another)', '');
  out.push("Wall time, with the step process's own CPU time in brackets.", '');
  const timed = (s: BenchReport['sizes'][number], step: ScanStep): string =>
    `${seconds(s.stepMs[step])} (${seconds(s.stepCpuMs[step])})`;
  out.push(
    table(
      [
        'nodes',
        'dispatch',
        'check (polls)',
        'collect',
        'finalize',
        'scan total',
        'report',
        'process starts',
        'naive scan',
      ],
      report.sizes.map((s) => [
        int(s.nodes),
        timed(s, 'dispatch'),
        `${timed(s, 'check')} (${s.checkInvocations} polls)`,
        timed(s, 'collect'),
        timed(s, 'finalize'),
        seconds(s.scanWallMs),
        timed(s, 'report'),
        seconds(s.setupMs),
        s.naiveWallMs === null ? '-' : seconds(s.naiveWallMs),
      ]),
    ),
  );
  out.push('', '## Peak memory per step process (RSS, tsx loader included) against its Lambda memory', '');
  const mem = (s: BenchReport['sizes'][number], step: ScanStep & keyof typeof LAMBDA_SETTINGS): string =>
    `${int(s.stepPeakRssMb[step])} / ${LAMBDA_SETTINGS[step].memoryMb} MB`;
  out.push(
    table(
      ['nodes', 'dispatch', 'check', 'collect', 'finalize', 'report', 'servers (simulator + dynalite)'],
      report.sizes.map((s) => [
        int(s.nodes),
        mem(s, 'dispatch'),
        mem(s, 'check'),
        mem(s, 'collect'),
        mem(s, 'finalize'),
        mem(s, 'report'),
        `${int(s.serversPeakRssMb)} MB`,
      ]),
    ),
  );

  out.push('', '## Evaluation hot path (read + judge one output; one thread, nodes per CPU-second)', '');
  out.push(
    'Best round of each path, median round in brackets (other work on a shared machine only slows a round).',
    "Collect's path reads an output of the usual shape in one regex pass and takes its verdict from the cache",
    'by the text of the lines it depends on; other outputs, and misses, go through the line parser.',
    '',
  );
  out.push(
    table(
      [
        'fleet',
        'outputs',
        'mean chars',
        'line parser only',
        'line parser + evaluate (no cache)',
        "collect's path (evaluateOutput)",
        'wall rate (collect path, median)',
        'cache hits / misses',
        'read in one pass',
      ],
      report.evaluation.map((e) => [
        e.faults,
        int(e.outputs),
        int(e.meanOutputChars),
        rate(e.parse),
        rate(e.uncached),
        rate(e.cached),
        int(e.cached.wallPerSecond),
        `${int(e.cache.hits)} / ${int(e.cache.misses)}`,
        int(e.cache.canonical),
      ]),
    ),
  );

  out.push('', '## Lambda steps at scale (modeled)', '');
  out.push(
    `Duration = the step's own CPU time locally x CPU share (a function gets one vCPU per ${LAMBDA_MB_PER_VCPU} MB, ${LAMBDA_MB_PER_VCPU_SOURCE}) ` +
      `+ calls one after another x the assumed latency (overlapped: ${Object.entries(OVERLAPPED_CALLS)
        .map(([op, n]) => `${op} ${n} at once`)
        .join(', ')}). ` +
      'Check is one poll; collect is split into passes by the cursor hand-over (budget: timeout less 60 s).',
  );
  out.push('');
  out.push(
    table(
      [
        'nodes',
        'ms/call',
        'basis',
        'dispatch',
        'check (1 poll)',
        'collect (total)',
        'collect passes',
        'finalize',
        'report',
        'collect peak RSS',
        'scan steps within limits',
        'report within limits',
      ],
      report.lambda.map((m) => {
        const step = (name: string) => m.steps.find((s) => s.step === name)!;
        const sec = (name: string, per = false) => {
          const s = step(name);
          return `${fixed(per ? s.modeled.perInvocationSeconds : s.modeled.totalSeconds, 1)} s / ${s.timeoutSeconds} s`;
        };
        const rss = step('collect').localPeakRssMb;
        return [
          int(m.nodes),
          String(m.perCallMs),
          m.basis,
          sec('dispatch'),
          sec('check', true),
          `${fixed(step('collect').modeled.totalSeconds, 0)} s`,
          String(m.collectPassesNeeded),
          sec('finalize'),
          sec('report'),
          rss === null ? 'not measured' : `${int(rss)} MB / ${step('collect').memoryMb} MB`,
          withinLimits(m, PIPELINE_STEPS) ? 'yes' : 'NO',
          withinLimits(m, ['report']) ? 'yes' : `NO${memoryNote(m, 'report')}`,
        ];
      }),
    ),
  );

  const cost = report.cost;
  out.push('', `## Cost model: daily scans and daily reports of ${int(COST_NODES)} nodes, USD per month`, '');
  out.push(
    `From measured calls, write and read units, report size and modeled durations (${cost.perCallMs} ms per call; ${cost.basis}). Free tiers left out.`,
  );
  out.push('');
  out.push(
    table(
      ['item', 'quantity / month', 'unit price', 'USD / month'],
      [
        ...cost.monthly.lines.map((l) => [
          l.item,
          `${fixed(l.quantity, l.quantity < 10 ? 3 : 0)} ${l.unit}`,
          `$${AWS_PRICES[l.price].usd.toPrecision(6)}`,
          usd(l.usd),
        ]),
        ['**total**', '', '', `**${usd(cost.monthly.totalUsd)}** (${usd(cost.monthly.perNodeUsd)} per node)`],
        [
          'Amazon Inspector, same nodes',
          `${int(COST_NODES)} instance-months`,
          `$${AWS_PRICES.inspectorInstanceMonth.usd}`,
          `${usd(cost.monthly.inspectorUsd)} (${int(cost.monthly.inspectorRatio)}x this)`,
        ],
      ],
    ),
  );
  out.push(
    '',
    'Prices used (re-check each before quoting; marked * where the research flags it [verify] or lacks it):',
    '',
  );
  for (const name of Object.keys(AWS_PRICES) as PriceName[]) {
    const p = AWS_PRICES[name];
    out.push(`- $${p.usd.toPrecision(6)} per ${p.per}${p.verify ? ' *' : ''}: ${p.source} (${p.recorded}).`);
  }

  out.push('', '## Targets (issue 7)', '');
  out.push(
    table(
      ['target', 'measured', 'met'],
      report.targets.map((t) => [t.target, t.measured, t.met ? 'yes' : 'NO']),
    ),
  );
  return `${out.join('\n')}\n`;
}
