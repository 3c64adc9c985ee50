import type { Catalog } from '../core/advisory/catalog.ts';
import { median } from '../core/bench/median.ts';
import { evaluateBlock } from '../core/evaluation/evaluate-node.ts';
import { VerdictCache, type VerdictCacheStats } from '../core/evaluation/verdict-cache.ts';
import { parseProbeOutput } from '../core/probe/parse-probe-output.ts';
import type { FleetFaultMode } from '../local/fleet/virtual-fleet.ts';
import { buildLocalFleet } from '../local/local-fleet.ts';
import { PLUGIN_OUTPUT_CAPACITY } from '../local/ssm-simulator/plugin-output.ts';


export interface ThroughputOptions {
  readonly catalog: Catalog;
  /** Outputs to judge per round (distinct nodes of a generated fleet). */
  readonly sample: number;
  readonly rounds: number;
  readonly seed: number;
  readonly faults: FleetFaultMode;
}

/**
 * Nodes per second of one path: the median round on CPU time (one thread) and on wall time, and
 * the best round on CPU time (on a shared machine other work only ever slows a round down, so the
 * best round is the closest to what one undisturbed core does).
 */
export interface PathRate {
  readonly cpuPerSecond: number;
  readonly bestCpuPerSecond: number;
  readonly wallPerSecond: number;
}

export interface ThroughputResult {
  readonly faults: FleetFaultMode;
  readonly outputs: number;
  readonly meanOutputChars: number;
  readonly rounds: number;
  /** parseProbeOutput alone. */
  readonly parse: PathRate;
  /** parse + evaluateBlock on every node (no cache). */
  readonly uncached: PathRate;
  /** VerdictCache.evaluateOutput (what collect runs), a fresh cache each round: misses included. */
  readonly cached: PathRate;
  /** The cache after the last round. */
  readonly cache: VerdictCacheStats;
}

/**
 * Generated outputs as collect first sees them: the recorded profiles with per-node ids,
 * hostnames, uptimes, timings and variants (and the fault mode's damage), cut at the listing cap.
 * Nodes whose probe never ran have no output to parse and are left out.
 */
export function sampleOutputs(nodes: number, seed: number, faults: FleetFaultMode): [string, string][] {
  const fleet = buildLocalFleet({ nodes, seed, faults });
  const outputs: [string, string][] = [];
  for (const node of fleet.nodes) {
    const text = fleet.stdout(node);
    if (text !== '') outputs.push([node.instanceId, text.slice(0, PLUGIN_OUTPUT_CAPACITY)]);
  }
  // Through JSON, as the SDK hands outputs over: flat strings, not the renderer's concatenations.
  return JSON.parse(JSON.stringify(outputs)) as [string, string][];
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function timeRounds(rounds: number, count: number, body: () => void): PathRate {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const c0 = cpuMs();
    const w0 = performance.now();
    body();
    const w = performance.now() - w0;
    const c = cpuMs() - c0;
    // CPU time counts GC helper threads too, so the rate per core errs low, never high.
    cpu.push((count / Math.max(c, 0.001)) * 1000);
    wall.push((count / Math.max(w, 0.001)) * 1000);
  }
  return { cpuPerSecond: median(cpu), bestCpuPerSecond: Math.max(...cpu), wallPerSecond: median(wall) };
}

/**
 * Measures the per-node hot path of collect on one thread. The figure is nodes per CPU-second
 * (process CPU time), which holds on a machine shared with other work; wall time is kept beside it.
 */
export function measureEvaluationThroughput(options: ThroughputOptions): ThroughputResult {
  const { catalog, rounds } = options;
  const outputs = sampleOutputs(options.sample, options.seed, options.faults);
  const count = outputs.length;
  let sink = 0;
  const parseAll = (): void => {
    for (const [, text] of outputs) sink += parseProbeOutput(text).length;
  };
  const uncachedAll = (): void => {
    for (const [id, text] of outputs) {
      const block = parseProbeOutput(text)[0];
      if (block) sink += evaluateBlock(block, catalog, id).findings.length;
    }
  };
  let cache = new VerdictCache(catalog);
  const cachedAll = (): void => {
    cache = new VerdictCache(catalog);
    for (const [id, text] of outputs) {
      const judged = cache.evaluateOutput(text, id);
      if (judged) sink += judged.verdict.findings.length;
    }
  };
  // Warm-up: let the JIT settle on every path before timing.
  parseAll();
  uncachedAll();
  cachedAll();
  const parse = timeRounds(rounds, count, parseAll);
  const uncached = timeRounds(rounds, count, uncachedAll);
  const cached = timeRounds(rounds, count, cachedAll);
  if (sink < 0) throw new Error('unreachable');
  return {
    faults: options.faults,
    outputs: count,
    meanOutputChars: Math.round(outputs.reduce((sum, [, text]) => sum + text.length, 0) / Math.max(1, count)),
    rounds,
    parse,
    uncached,
    cached,
    cache: cache.stats(),
  };
}
