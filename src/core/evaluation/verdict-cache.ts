import type { Catalog } from '../advisory/catalog.ts';
import type { Component, Condition } from '../advisory/schema.ts';
import { CanonicalReader } from '../probe/canonical-output.ts';
import { type ProbeBlock, parseProbeOutput } from '../probe/parse-probe-output.ts';
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
  /** Outputs evaluateOutput read in one pass (canonical shape) rather than line by line. */
  readonly canonical: number;
}

/** What evaluateOutput returns for an output holding a probe block. */
export interface OutputVerdict {
  readonly verdict: Verdict;
  /** The (first) block ended with `end`: nothing of the output was cut off. */
  readonly complete: boolean;
}

/**
 * Canonical outputs judged before, by shape: the length of each run and each state key's state.
 * Outputs of one shape are told apart by comparing their runs' text (a string comparison costs far
 * less than hashing the same text for a Map key). A shape keeps at most this many outputs; more
 * are judged through the per-key cache, which holds them all.
 */
const MAX_PER_SHAPE = 64;

interface CanonicalEntry {
  readonly runs: readonly string[];
  readonly verdict: Verdict;
}

/** The keys whose values land in a cached verdict's node-specific fields (withNodeFields). */
const NODE_KEYS = ['node.id', 'node.hostname', 'uptime.seconds'] as const;

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
 * Two ways in. `evaluate` takes a parsed block; its key is the block's format and completeness,
 * each value key's raw value and each state key's state, looked up level by level (one Map lookup
 * per key, no key string built). Raw values, not typed ones: `has()` tells a missing key from an
 * `!absent` one, and os.id is lower-cased later. `evaluateOutput` takes the output text (what
 * collect has): an output of the canonical shape is keyed by the text of its value keys' lines and
 * its state keys' states without being parsed; any other goes through the parser and `evaluate`.
 * Bounded: when `maxEntries` verdicts are held (both ways counted) the whole cache is dropped, so a
 * hostile fleet of all-distinct outputs costs memory proportional to the bound and time about that
 * of evaluateBlock.
 */
export class VerdictCache {
  readonly inputs: VerdictInputs;
  private readonly catalog: Catalog;
  private readonly maxEntries: number;
  private readonly roots = new Map<string, TrieNode>();
  /** Reads canonical outputs: the value keys' lines as runs, the state and node keys' values. */
  private readonly reader: CanonicalReader;
  /** Verdicts of canonical outputs by shape, then by their runs' text. */
  private readonly byShape = new Map<string, CanonicalEntry[]>();
  private size = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private canonical = 0;

  constructor(catalog: Catalog, options: VerdictCacheOptions = {}) {
    this.catalog = catalog;
    this.inputs = verdictInputsOf(catalog);
    this.maxEntries = Math.max(1, options.maxEntries ?? 4096);
    // A key outside format 1 is missing from every canonical output: it cannot tell two apart.
    this.reader = new CanonicalReader({
      runKeys: this.inputs.valueKeys,
      valueKeys: [...this.inputs.stateKeys, ...NODE_KEYS],
    });
  }

  /**
   * Judges one node's output text: the same verdict as `evaluate(parseProbeOutput(text)[0])`
   * (undefined when the text holds no block). An output of the canonical shape (almost all of
   * them) is read in one regex pass that captures the text of the lines a verdict depends on; when
   * that text was seen before, the verdict comes from comparing it with what was stored, and no
   * line is parsed. Other outputs are parsed line by line and go through `evaluate`.
   */
  evaluateOutput(text: string, nodeId?: string): OutputVerdict | undefined {
    const read = this.reader.read(text);
    if (read === undefined) {
      const block = parseProbeOutput(text)[0];
      return block === undefined ? undefined : { verdict: this.evaluate(block, nodeId), complete: block.complete };
    }
    this.canonical += 1;
    let shape = '';
    for (const run of read.runs) shape += `${run.length},`;
    for (const name of this.inputs.stateKeys) shape += stateCode(read.values[name]);
    const known = this.byShape.get(shape);
    const seen = known === undefined ? undefined : sameRuns(known, read.runs);
    if (seen !== undefined) {
      this.hits += 1;
      const verdict = withNodeFields(seen.verdict, {
        nodeId,
        rawNodeId: read.values['node.id'],
        rawHostname: read.values['node.hostname'],
        rawUptime: read.values['uptime.seconds'],
      });
      return { verdict, complete: true };
    }
    // The canonical shape guarantees one complete block (CanonicalReader's contract).
    const block = parseProbeOutput(text)[0] as ProbeBlock;
    const verdict = this.evaluate(block, nodeId);
    // The new entry counts towards the bound too; and evaluate may just have dropped everything,
    // so the shape is looked up again.
    if (this.size >= this.maxEntries) this.clear();
    let entries = this.byShape.get(shape);
    if (entries === undefined) {
      entries = [];
      this.byShape.set(shape, entries);
    }
    if (entries.length < MAX_PER_SHAPE) {
      entries.push({ runs: read.runs, verdict });
      this.size += 1;
    }
    return { verdict, complete: true };
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
      return withNodeFields(template, {
        nodeId,
        rawNodeId: values.get('node.id'),
        rawHostname: values.get('node.hostname'),
        rawUptime: values.get('uptime.seconds'),
      });
    }
    this.misses += 1;
    const verdict = evaluateBlock(block, this.catalog, nodeId);
    if (this.size >= this.maxEntries) {
      this.clear();
      return verdict;
    }
    node.verdicts.set(states, verdict);
    this.size += 1;
    return verdict;
  }

  stats(): VerdictCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      size: this.size,
      canonical: this.canonical,
    };
  }

  /** Dropping everything (not the oldest entry) keeps a hit at one lookup per key. */
  private clear(): void {
    this.evictions += this.size;
    this.roots.clear();
    this.byShape.clear();
    this.size = 0;
  }
}

/** The entry whose runs are these runs' text, if any (same lengths: the shape says so). */
function sameRuns(entries: readonly CanonicalEntry[], runs: readonly string[]): CanonicalEntry | undefined {
  next: for (const entry of entries) {
    for (let i = 0; i < runs.length; i += 1) if (entry.runs[i] !== runs[i]) continue next;
    return entry;
  }
  return undefined;
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

/** A node's own fields: the id it is judged under and its raw node.id, hostname and uptime values. */
interface NodeFields {
  readonly nodeId: string | undefined;
  readonly rawNodeId: string | undefined;
  readonly rawHostname: string | undefined;
  readonly rawUptime: string | undefined;
}

/** The cached verdict with this node's id, hostname and uptime (as toNodeFacts and summarize read them). */
function withNodeFields(template: Verdict, fields: NodeFields): Verdict {
  const hostname = textOf(fields.rawHostname);
  const uptime = Number(textOf(fields.rawUptime));
  return {
    ...template,
    node: fields.nodeId ?? textOf(fields.rawNodeId) ?? hostname ?? 'unknown',
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
  return cacheFor(catalog).evaluate(block, nodeId);
}

function cacheFor(catalog: Catalog): VerdictCache {
  let cache = shared.get(catalog);
  if (cache === undefined) {
    cache = new VerdictCache(catalog);
    shared.set(catalog, cache);
  }
  return cache;
}

/** VerdictCache.evaluateOutput through the same per-catalog cache as evaluateBlockCached. */
export function evaluateOutputCached(text: string, catalog: Catalog, nodeId?: string): OutputVerdict | undefined {
  return cacheFor(catalog).evaluateOutput(text, nodeId);
}
