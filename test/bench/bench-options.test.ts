import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCH_OPTIONS, parseBenchOptions } from '../../src/bench/bench-options.ts';
import { BenchUsageError } from '../../src/bench/bench-usage-error.ts';

describe('parseBenchOptions', () => {
  it('scans 1,000 and 10,000 nodes as a table by default', () => {
    expect(parseBenchOptions([])).toEqual(DEFAULT_BENCH_OPTIONS);
    expect(DEFAULT_BENCH_OPTIONS.sizes).toEqual([1000, 10_000]);
  });

  it('takes a list of sizes, sorted and without repeats, and --flag=value spellings', () => {
    expect(parseBenchOptions(['--nodes', '100000,1000,1000']).sizes).toEqual([1000, 100_000]);
    expect(parseBenchOptions(['--nodes=10000', '--format=json']).format).toBe('json');
  });

  it.for([
    [['--format', 'xml'], /--format takes table or json/],
    [['--nodes', '0'], /--nodes takes a whole number/],
    [['--nodes', '1e3'], /--nodes takes a whole number/],
    [['--runs'], /--runs takes a whole number/],
    [['--faults', 'storm'], /--faults takes none, chaos, hostile/],
    [['--bogus'], /unknown option --bogus/],
  ] as const)('rejects %j naming the option', ([argv, message]) => {
    expect(() => parseBenchOptions(argv)).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(argv)).toThrow(message);
  });
});
