import type { FleetFaultMode } from '../local/fleet/virtual-fleet.ts';
import { FAULT_MODES } from '../local/local-fleet.ts';
import { BenchUsageError } from './bench-usage-error.ts';

export interface BenchOptions {
  /** Fleet sizes to scan, ascending. */
  readonly sizes: readonly number[];
  readonly format: 'table' | 'json';
  /** Scans per size (medians are reported). */
  readonly runs: number;
  readonly seed: number;
  readonly faults: FleetFaultMode;
  /** The naive strategy runs at sizes up to this (it makes two calls per node). */
  readonly naiveMaxNodes: number;
  /** Outputs per round, and rounds, of the evaluation throughput measurement. */
  readonly evalSample: number;
  readonly evalRounds: number;
  /** Per-call latency of real AWS the Lambda model assumes, ms (the cost model uses the second). */
  readonly latenciesMs: readonly number[];
  readonly help: boolean;
}

export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  sizes: [1000, 10_000],
  format: 'table',
  runs: 3,
  seed: 1,
  faults: 'none',
  naiveMaxNodes: 10_000,
  evalSample: 20_000,
  evalRounds: 7,
  latenciesMs: [20, 40, 150],
  help: false,
};

export const BENCH_USAGE = `usage: npm run bench -- [options]

  --nodes <n[,n...]>     fleet sizes to scan (default 1000,10000; add 100000 for the scale run)
  --format table|json    output (default table; json prints one object)
  --runs <n>             scans per size, medians reported (default 3)
  --seed <n>             seed of the simulated fleet (default 1)
  --faults <mode>        fleet fault profile: none, chaos, hostile (default none)
  --naive-max <n>        run the naive strategy only up to this size (default 10000)
  --eval-sample <n>      outputs per round of the evaluation measurement (default 20000)
  --eval-rounds <n>      rounds of the evaluation measurement (default 7)
  --latency <ms[,ms]>    per-call AWS latency the Lambda model assumes (default 20,40,150)
`;

function wholeNumber(flag: string, text: string | undefined, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < min || value > max) {
    throw new BenchUsageError(
      `${flag} takes a whole number from ${min} to ${max} (got ${JSON.stringify(text ?? '')})`,
    );
  }
  return value;
}

function numberList(flag: string, text: string | undefined, min: number, max: number): number[] {
  if (text === undefined) throw new BenchUsageError(`${flag} needs a value`);
  return text.split(',').map((part) => wholeNumber(flag, part, min, max));
}

/** Parses the bench's arguments (after `--`); throws BenchUsageError naming the bad one. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options = { ...DEFAULT_BENCH_OPTIONS } as { -readonly [K in keyof BenchOptions]: BenchOptions[K] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--nodes':
        options.sizes = [...new Set(numberList('--nodes', value(), 1, 1_000_000))].sort((a, b) => a - b);
        break;
      case '--format': {
        const format = value();
        if (format !== 'table' && format !== 'json')
          throw new BenchUsageError(`--format takes table or json (got ${JSON.stringify(format ?? '')})`);
        options.format = format;
        break;
      }
      case '--runs':
        options.runs = wholeNumber('--runs', value(), 1, 50);
        break;
      case '--seed':
        options.seed = wholeNumber('--seed', value(), 0, 0xffffffff);
        break;
      case '--faults': {
        const faults = value();
        if (!(FAULT_MODES as readonly string[]).includes(faults ?? '')) {
          throw new BenchUsageError(
            `--faults takes ${FAULT_MODES.join(', ')} (got ${JSON.stringify(faults ?? '')})`,
          );
        }
        options.faults = faults as FleetFaultMode;
        break;
      }
      case '--naive-max':
        options.naiveMaxNodes = wholeNumber('--naive-max', value(), 0, 1_000_000);
        break;
      case '--eval-sample':
        options.evalSample = wholeNumber('--eval-sample', value(), 100, 1_000_000);
        break;
      case '--eval-rounds':
        options.evalRounds = wholeNumber('--eval-rounds', value(), 1, 100);
        break;
      case '--latency':
        options.latenciesMs = numberList('--latency', value(), 1, 10_000);
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new BenchUsageError(`unknown option ${arg}\n\n${BENCH_USAGE}`);
    }
  }
  return options;
}
