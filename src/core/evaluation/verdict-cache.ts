import type { Catalog } from '../advisory/catalog.ts';
import type { Component, Condition } from '../advisory/schema.ts';
import type { ProbeBlock } from '../probe/parse-probe-output.ts';
import { ABSENT, ERROR_PREFIX, TIMEOUT } from '../probe/probe-format.ts';
import type { Verdict } from '../verdict.ts';
import { evaluateBlock } from './evaluate-node.ts';

/**
 * The probe keys a verdict can depend on, split by how much of a key's raw value matters: all of
 * it (`valueKeys`), or only its state (`stateKeys`: missing, empty, `!absent`, `!timeout`,
 * `!error...` or some value). Everything else in an output (node id, hostname, uptime, timings,
 * keys nobody reads) cannot change a verdict except through the fields `VerdictCache` sets per node.
 */
export interface VerdictInputs {
  readonly valueKeys: readonly string[];
  readonly stateKeys: readonly string[];
}

/**
 * What evaluate-node reads for itself whatever the catalog says: os.* to pick distro entries
 * (os.pretty_name for the facts summary), the facts summary's components, and the observations'
 * reboot.required and PLEG count. node.id, node.hostname and uptime.seconds are read too, but they
 * only land in `node`, `hostname` and `facts.uptimeSeconds`, which the cache fills per node.
 */
const EVALUATOR_VALUE_KEYS = [
  'os.id',
  'os.version_id',
  'os.pretty_name',
  'kernel.running',
  'kernel.installed',
  'systemd.version',
  'systemd.package',
  'docker.version',
  'docker.package',
  'containerd.version',
  'containerd.package',
  'runc.version',
  'runc.package',
  'kubelet.version',
  'cgroup.fs',
  'reboot.required',
  'symptom.pleg_24h',
] as const;

/** The observations only ask whether these timed out. */
const EVALUATOR_STATE_KEYS = ['systemd.bus_ms', 'symptom.docker_ps_ms'] as const;

/**
 * Keys a version condition on a component reads (component-values.ts: the upstream and package
 * keys, and what runs for systemd and the kernel). Kept in step with component-values.ts by the
 * tracing test in test/core/evaluation/verdict-cache.test.ts, which fails on any read not listed.
 */
const COMPONENT_KEYS: Readonly<Record<Component, readonly string[]>> = {
  systemd: ['systemd.version', 'systemd.package', 'systemd.running', 'systemd.pid1_deleted'],
  docker: ['docker.version', 'docker.package'],
  containerd: ['containerd.version', 'containerd.package'],
  runc: ['runc.version', 'runc.package'],
  kubelet: ['kubelet.version'],
  kernel: ['kernel.installed', 'kernel.running'],
};

/** Derives the keys a catalog's verdicts depend on from its conditions (match and symptoms). */
export function verdictInputsOf(catalog: Catalog): VerdictInputs {
  const values = new Set<string>(EVALUATOR_VALUE_KEYS);
  const states = new Set<string>(EVALUATOR_STATE_KEYS);
  const visit = (condition: Condition): void => {
    if ('all' in condition) condition.all.forEach(visit);
    else if ('any' in condition) condition.any.forEach(visit);
    else if ('not' in condition) visit(condition.not);
    else if ('differ' in condition) for (const key of condition.differ) values.add(key);
    else if ('version' in condition)
      for (const key of COMPONENT_KEYS[condition.version.component]) values.add(key);
    else {
      const f = condition.fact;
      // A test of the state alone (`state: timeout`) never looks at the value; any other test does,
      // and `state: value` puts the value in the evidence.
      const stateOnly =
        f.state !== undefined &&
        f.state !== 'value' &&
        f.equals === undefined &&
        f.in === undefined &&
        f.matches === undefined &&
        f.gt === undefined &&
        f.lt === undefined;
      (stateOnly ? states : values).add(f.key);
    }
  };
  for (const advisory of catalog.advisories) {
    visit(advisory.match);
    for (const symptom of advisory.symptoms ?? []) visit(symptom.when);
  }
  for (const key of values) states.delete(key);
  return { valueKeys: [...values].sort(), stateKeys: [...states].sort() };
}

export interface VerdictCacheOptions {
  /** Verdicts kept; the cache starts over empty when it holds this many. @default 4096 */
  readonly maxEntries?: number;
}

export interface VerdictCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly size: number;
}

/**
 * One level of the cache per value key: children by raw value, and a separate slot for a key
 * missing from the output (so no string can stand in for "missing"). The last level holds
 * verdicts by the state keys' codes.
 */
interface TrieNode {
  readonly children: Map<string, TrieNode>;
  missing: TrieNode | undefined;
  readonly verdicts: Map<string, Verdict>;
}

function newNode(): TrieNode {
  return { children: new Map(), missing: undefined, verdicts: new Map() };
}

/**
 * Evaluates each distinct combination of verdict inputs once: a fleet repeats a few dozen
 * (distro, package versions, symptom) combinations across thousands of nodes, whose outputs differ
 * only in ids, hostnames, uptimes and timings. A hit returns the stored verdict with the node's own
 * id, hostname and uptime, identical to what evaluateBlock returns for that block.
 *
 * The key is the block's format and completeness, each value key's raw value and each state key's
 * state, looked up level by level (one Map lookup per key, no key string built). Raw values, not
 * typed ones: `has()` tells a missing key from an `!absent` one, and os.id is lower-cased later.
 * Bounded: when `maxEntries` verdicts are held the whole cache is dropped, so a hostile fleet of
 * all-distinct outputs costs memory proportional to the bound and time about that of evaluateBlock.
 */
export class VerdictCache {
  readonly inputs: VerdictInputs;
  private readonly catalog: Catalog;
  private readonly maxEntries: number;
  private readonly roots = new Map<string, TrieNode>();
  private size = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(catalog: Catalog, options: VerdictCacheOptions = {}) {
    this.catalog = catalog;
    this.inputs = verdictInputsOf(catalog);
    this.maxEntries = Math.max(1, options.maxEntries ?? 4096);
  }

  /** Same result as `evaluateBlock(block, catalog, nodeId)`. */
  evaluate(block: ProbeBlock, nodeId?: string): Verdict {
    const values = block.values;
    const head = `${block.format}${block.complete ? '+' : '-'}`;
    let root = this.roots.get(head);
    if (root === undefined) {
      root = newNode();
      this.roots.set(head, root);
    }
    let node: TrieNode = root;
    for (const name of this.inputs.valueKeys) {
      const raw = values.get(name);
      let next: TrieNode | undefined = raw === undefined ? node.missing : node.children.get(raw);
      if (next === undefined) {
        next = newNode();
        if (raw === undefined) node.missing = next;
        else node.children.set(raw, next);
      }
      node = next;
    }
    let states = '';
    for (const name of this.inputs.stateKeys) states += stateCode(values.get(name));
    const template = node.verdicts.get(states);
    if (template !== undefined) {
      this.hits += 1;
      return withNodeFields(template, block, nodeId);
    }
    this.misses += 1;
    const verdict = evaluateBlock(block, this.catalog, nodeId);
    if (this.size >= this.maxEntries) {
      // Dropping everything (not the oldest entry) keeps a hit at one lookup per key.
      this.evictions += this.size;
      this.roots.clear();
      this.size = 0;
      return verdict;
    }
    node.verdicts.set(states, verdict);
    this.size += 1;
    return verdict;
  }

  stats(): VerdictCacheStats {
    return { hits: this.hits, misses: this.misses, evictions: this.evictions, size: this.size };
  }
}

/** One character per state; '' and `!absent` differ (both read as absent, but only one is `has()`). */
function stateCode(raw: string | undefined): string {
  if (raw === undefined) return 'm';
  if (raw === '') return 'e';
  if (raw === ABSENT) return 'a';
  if (raw === TIMEOUT) return 't';
  if (raw.startsWith(ERROR_PREFIX)) return 'x';
  return 'v';
}

/** A raw value as node-facts reads it: special values and '' carry no text. */
function textOf(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '' || raw === ABSENT || raw === TIMEOUT || raw.startsWith(ERROR_PREFIX)) {
    return undefined;
  }
  return raw;
}

/** The cached verdict with this node's id, hostname and uptime (as toNodeFacts and summarize read them). */
function withNodeFields(template: Verdict, block: ProbeBlock, nodeId: string | undefined): Verdict {
  const hostname = textOf(block.values.get('node.hostname'));
  const uptime = Number(textOf(block.values.get('uptime.seconds')));
  return {
    ...template,
    node: nodeId ?? textOf(block.values.get('node.id')) ?? hostname ?? 'unknown',
    hostname,
    facts: { ...template.facts, uptimeSeconds: Number.isFinite(uptime) && uptime >= 0 ? uptime : undefined },
  };
}

const shared = new WeakMap<Catalog, VerdictCache>();

/**
 * evaluateBlock through a cache kept per catalog object (a Lambda container keeps its catalog
 * across invocations, so the cache lives as long as the container).
 */
export function evaluateBlockCached(block: ProbeBlock, catalog: Catalog, nodeId?: string): Verdict {
  let cache = shared.get(catalog);
  if (cache === undefined) {
    cache = new VerdictCache(catalog);
    shared.set(catalog, cache);
  }
  return cache.evaluate(block, nodeId);
}
