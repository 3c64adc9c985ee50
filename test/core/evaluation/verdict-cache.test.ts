/**
 * The verdict cache must be invisible: for every output, cached and uncached verdicts are
 * identical. Outputs come from the fleet generator (the recorded profiles in src/local/profiles
 * with per-node ids, hostnames, uptimes, timings and variants), in all three fault modes (chaos:
 * truncated, garbage, oversized and died-mid-way outputs; hostile: injection strings and spoofed
 * ids), plus cut prefixes and hand-made blocks a parser would never produce.
 */
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../src/core/advisory/builtin-catalog.ts';
import { type Catalog, mergeCatalogs, parseCatalog } from '../../../src/core/advisory/catalog.ts';
import { evaluateBlock, evaluateFacts } from '../../../src/core/evaluation/evaluate-node.ts';
import {
  evaluateBlockCached,
  evaluateOutputCached,
  VerdictCache,
  verdictInputsOf,
} from '../../../src/core/evaluation/verdict-cache.ts';
import { type NodeFacts, toNodeFacts } from '../../../src/core/probe/node-facts.ts';
import { type ProbeBlock, parseProbeOutput } from '../../../src/core/probe/parse-probe-output.ts';
import { loadProfiles } from '../../../src/local/fleet/load-profiles.ts';
import { createPrng } from '../../../src/local/fleet/prng.ts';
import type { FleetFaultMode } from '../../../src/local/fleet/virtual-fleet.ts';
import { buildLocalFleet, PROFILES_DIR } from '../../../src/local/local-fleet.ts';
import { probeText } from '../../helpers/probe-text.ts';

/** Keys a verdict reads but the cache fills per node (node, hostname, facts.uptimeSeconds). */
const PER_NODE_KEYS = ['node.id', 'node.hostname', 'uptime.seconds'];

function fleetOutputs(nodes: number, seed: number, faults: FleetFaultMode): [string, string][] {
  const fleet = buildLocalFleet({ nodes, seed, faults });
  return fleet.nodes
    .map((n) => [n.instanceId, fleet.stdout(n)] as [string, string])
    .filter(([, t]) => t !== '');
}

/** Whole outputs, and cuts of some of them at random places (SSM's 2,500 cap, a killed probe). */
function corpus(seed: number): [string, string][] {
  const prng = createPrng(seed);
  const out: [string, string][] = [];
  for (const faults of ['none', 'chaos', 'hostile'] as const) {
    for (const [id, text] of fleetOutputs(600, seed, faults)) {
      out.push([id, text]);
      if (prng.chance(0.2)) out.push([id, text.slice(0, prng.int(1, text.length))]);
      if (prng.chance(0.05)) out.push([id, text.replace(/\n/g, '\r\n')]);
    }
  }
  return out;
}

/**
 * Recorded profiles with the keys a user catalog may read drawn from a few values each, so that
 * combinations recur (a generated fleet gives every node its own id, hostname and uptime, which
 * would make a catalog reading them all misses). A value of null removes the line.
 */
function smallDomainCorpus(seed: number, count: number): [string, string][] {
  const prng = createPrng(seed);
  const profiles = [...loadProfiles(PROFILES_DIR).values()];
  const domains: Record<string, readonly (string | null)[]> = {
    'node.id': ['i-1', 'i-2', null],
    'node.hostname': ['a.corp.example.com', 'i-1', '!absent', null],
    'uptime.seconds': ['100', '3000000', '!absent', 'x', null],
    'systemd.bus_ms': ['3', '20', '!timeout', '!error dbus', null],
    'probe.duration_ms': ['100', '2500'],
    'custom.flag': ['1', '!absent', null],
  };
  const out: [string, string][] = [];
  for (let i = 0; i < count; i += 1) {
    let text = prng.pick(profiles);
    for (const [key, values] of Object.entries(domains)) {
      const value = prng.pick(values);
      const line = new RegExp(`^${key.replace('.', '\\.')}=.*\n`, 'm');
      text = text.replace(line, '');
      if (value !== null) text = text.replace(/^end$/m, `${key}=${value}\nend`);
    }
    out.push([`i-${i}`, prng.chance(0.1) ? text.slice(0, prng.int(1, text.length)) : text]);
  }
  return out;
}

/**
 * Like smallDomainCorpus, but each value is replaced where its line stands, so the outputs keep the
 * canonical shape (and reach the cache's one-pass path) while the per-node keys recur.
 */
function inPlaceCorpus(seed: number, count: number): [string, string][] {
  const prng = createPrng(seed);
  const profiles = [...loadProfiles(PROFILES_DIR).values()];
  const domains: Record<string, readonly string[]> = {
    'node.id': ['i-1', 'i-2', ''],
    'node.hostname': ['a.corp.example.com', 'i-1', '!absent', ' spaced '],
    'uptime.seconds': ['100', '3000000', '!absent', 'x'],
    'systemd.bus_ms': ['3', '20', '!timeout', '!error dbus', ''],
    'probe.duration_ms': ['100', '2500'],
    'symptom.docker_ps_ms': ['5', '!timeout', '!absent'],
  };
  const out: [string, string][] = [];
  for (let i = 0; i < count; i += 1) {
    let text = prng.pick(profiles);
    for (const [key, values] of Object.entries(domains)) {
      const value = prng.pick(values);
      text = text.replace(new RegExp(`^${key.replace('.', '\\.')}=.*$`, 'm'), () => `${key}=${value}`);
    }
    out.push([`i-${i}`, text]);
  }
  return out;
}

function expectSameOutputVerdicts(
  catalog: Catalog,
  outputs: readonly [string, string][],
  cache: VerdictCache,
): void {
  for (const [id, text] of outputs) {
    const block = parseProbeOutput(text)[0];
    const expected = block && { verdict: evaluateBlock(block, catalog, id), complete: block.complete };
    expect(cache.evaluateOutput(text, id)).toStrictEqual(expected);
    const unnamed = block && { verdict: evaluateBlock(block, catalog), complete: block.complete };
    expect(cache.evaluateOutput(text)).toStrictEqual(unnamed);
  }
}

function blocksOf(outputs: readonly [string, string][]): [string, ProbeBlock][] {
  const blocks: [string, ProbeBlock][] = [];
  for (const [id, text] of outputs) {
    const block = parseProbeOutput(text)[0];
    if (block) blocks.push([id, block]);
  }
  return blocks;
}

function expectSameVerdicts(
  catalog: Catalog,
  blocks: readonly [string, ProbeBlock][],
  cache: VerdictCache,
): void {
  for (const [id, block] of blocks) {
    expect(cache.evaluate(block, id)).toStrictEqual(evaluateBlock(block, catalog, id));
    // The CLI passes no id: the node's own node.id, else its hostname, names it.
    expect(cache.evaluate(block)).toStrictEqual(evaluateBlock(block, catalog));
  }
}

/** A user catalog whose conditions read keys the built-in one does not (or reads differently). */
const USER_CATALOG = parseCatalog(
  {
    schemaVersion: 1,
    advisories: [
      {
        id: 'LONG-UPTIME',
        title: 'Nodes up for more than 30 days',
        summary: 'Reads uptime.seconds, which the cache otherwise fills per node.',
        severity: 'low',
        components: ['kernel'],
        match: { fact: { key: 'uptime.seconds', gt: 2_592_000 } },
        remediation: 'Reboot.',
        actions: ['reboot'],
        rebootRequired: true,
        reexecRequired: false,
        references: ['https://example.com/uptime'],
      },
      {
        id: 'SLOW-BUS-OR-CORP-HOST',
        title: 'Slow D-Bus answers on corporate hosts, or a probe that took long',
        summary: 'Reads the values of systemd.bus_ms, node.hostname and probe.duration_ms.',
        severity: 'medium',
        components: ['systemd'],
        match: {
          any: [
            {
              all: [
                { fact: { key: 'systemd.bus_ms', gt: 12 } },
                { fact: { key: 'node.hostname', matches: 'corp' } },
              ],
            },
            { fact: { key: 'probe.duration_ms', gt: 2000 } },
            { differ: ['node.id', 'node.hostname'] },
          ],
        },
        symptoms: [
          { when: { fact: { key: 'custom.flag', state: 'value' } }, severity: 'high', note: 'Flagged.' },
        ],
        remediation: 'Look.',
        actions: ['configure'],
        rebootRequired: false,
        reexecRequired: false,
        references: ['https://example.com/bus'],
      },
      {
        id: 'OLD-KERNEL',
        title: 'Kernels before 5.10',
        summary: 'A version condition on the kernel.',
        severity: 'medium',
        components: ['kernel'],
        match: { version: { component: 'kernel', ranges: [{ fixed: '5.10' }] } },
        remediation: 'Upgrade the kernel and reboot.',
        actions: ['upgrade', 'reboot'],
        rebootRequired: true,
        reexecRequired: false,
        references: ['https://example.com/kernel'],
      },
    ],
  },
  'user.json',
);

describe('verdictInputsOf', () => {
  it('derives value keys from the catalog and keeps timeout-only keys as states', () => {
    const inputs = verdictInputsOf(builtinCatalog());
    expect(inputs.valueKeys).toEqual(
      expect.arrayContaining([
        'os.id',
        'os.version_id',
        'systemd.package',
        'systemd.running',
        'symptom.pleg_24h',
      ]),
    );
    expect(inputs.valueKeys).toEqual(
      expect.arrayContaining(['docker.cgroup_driver', 'kubelet.cgroup_driver']),
    );
    expect(inputs.stateKeys).toEqual(['symptom.docker_ps_ms', 'systemd.bus_ms']);
    for (const key of [...PER_NODE_KEYS, 'probe.duration_ms']) expect(inputs.valueKeys).not.toContain(key);
  });

  it('turns a key into a value key as soon as one condition reads its value', () => {
    const inputs = verdictInputsOf(mergeCatalogs(builtinCatalog(), USER_CATALOG));
    expect(inputs.valueKeys).toEqual(
      expect.arrayContaining(['uptime.seconds', 'systemd.bus_ms', 'node.hostname', 'node.id', 'custom.flag']),
    );
    expect(inputs.stateKeys).toEqual(['symptom.docker_ps_ms']);
  });
});

describe('VerdictCache', () => {
  const blocks = blocksOf(corpus(11));

  it('returns the verdict evaluateBlock returns, on generated, chaos, hostile and cut outputs', () => {
    const catalog = builtinCatalog();
    const cache = new VerdictCache(catalog);
    expectSameVerdicts(catalog, blocks, cache);
    const { hits, misses } = cache.stats();
    // A fleet repeats its combinations: most nodes are hits (the point of the cache).
    expect(hits).toBeGreaterThan(misses);
  });

  it('returns the same verdicts under a user catalog that reads per-node and unknown keys', () => {
    const catalog = mergeCatalogs(builtinCatalog(), USER_CATALOG);
    const cache = new VerdictCache(catalog);
    expectSameVerdicts(catalog, [...blocks, ...blocksOf(smallDomainCorpus(5, 3000))], cache);
    expect(cache.stats().hits).toBeGreaterThan(1000);
  });

  it('stays within its bound and still returns the same verdicts', () => {
    const catalog = builtinCatalog();
    const cache = new VerdictCache(catalog, { maxEntries: 8 });
    for (const [id, block] of blocks) {
      expect(cache.evaluate(block, id)).toStrictEqual(evaluateBlock(block, catalog, id));
      expect(cache.stats().size).toBeLessThanOrEqual(8);
    }
    expect(cache.stats().evictions).toBeGreaterThan(0);
  });

  it('tells missing, empty, !absent, !timeout and !error apart, and values that hold separators', () => {
    const catalog = builtinCatalog();
    const cache = new VerdictCache(catalog);
    const base = parseProbeOutput(probeText())[0]!;
    const variants: ProbeBlock[] = [];
    for (const key of [
      'os.id',
      'systemd.version',
      'systemd.bus_ms',
      'symptom.docker_ps_ms',
      'symptom.pleg_24h',
    ]) {
      for (const raw of [
        undefined,
        '',
        '!absent',
        '!timeout',
        '!error x',
        '7',
        '0',
        'a\u0000b',
        '1:x|',
        '|',
      ]) {
        const values = new Map(base.values);
        if (raw === undefined) values.delete(key);
        else values.set(key, raw);
        variants.push(
          { ...base, values },
          { ...base, values, complete: false },
          { ...base, values, format: 2 },
        );
      }
    }
    // Twice over: the second pass is all hits, each of which must still match its own block.
    for (let pass = 0; pass < 2; pass += 1) {
      variants.forEach((block, i) => {
        expect(cache.evaluate(block, `i-${i}`)).toStrictEqual(evaluateBlock(block, catalog, `i-${i}`));
      });
    }
  });

  it('fills id, hostname and uptime from each node on a hit', () => {
    const catalog = builtinCatalog();
    const cache = new VerdictCache(catalog);
    const a = parseProbeOutput(probeText({ 'node.hostname': 'a', 'uptime.seconds': '5' }))[0]!;
    const b = parseProbeOutput(
      probeText({ 'node.id': 'i-b', 'node.hostname': '!absent', 'uptime.seconds': 'x' }),
    )[0]!;
    cache.evaluate(a, 'i-a');
    const hit = cache.evaluate(b);
    expect(cache.stats().hits).toBe(1);
    expect(hit).toMatchObject({ node: 'i-b', hostname: undefined, facts: { uptimeSeconds: undefined } });
  });

  it('judges whole outputs as evaluateBlock judges their first block, canonical or not', () => {
    const catalog = builtinCatalog();
    const cache = new VerdictCache(catalog);
    const outputs = [
      ...corpus(11),
      ...inPlaceCorpus(3, 1500),
      ['i-x', 'no block here\n'] as [string, string],
    ];
    expectSameOutputVerdicts(catalog, outputs, cache);
    const { hits, misses, canonical } = cache.stats();
    expect(canonical).toBeGreaterThan(outputs.length / 2);
    expect(hits).toBeGreaterThan(misses * 5);
  });

  it('judges whole outputs the same under a user catalog that reads per-node keys', () => {
    const catalog = mergeCatalogs(builtinCatalog(), USER_CATALOG);
    const cache = new VerdictCache(catalog);
    const outputs = [...corpus(12), ...inPlaceCorpus(4, 3000), ...smallDomainCorpus(6, 500)];
    expectSameOutputVerdicts(catalog, outputs, cache);
    expect(cache.stats().hits).toBeGreaterThan(1000);
    expect(cache.stats().canonical).toBeGreaterThan(3000);
  });

  it('keeps whole-output entries within the bound, and shapes beyond their share still judged', () => {
    const catalog = builtinCatalog();
    const outputs = [...corpus(13), ...inPlaceCorpus(5, 500)];
    const small = new VerdictCache(catalog, { maxEntries: 8 });
    for (const [id, text] of outputs) {
      const block = parseProbeOutput(text)[0];
      expect(small.evaluateOutput(text, id)?.verdict).toStrictEqual(
        block && evaluateBlock(block, catalog, id),
      );
      expect(small.stats().size).toBeLessThanOrEqual(8);
    }
    expect(small.stats().evictions).toBeGreaterThan(0);
    // 200 outputs of one shape (same run lengths) but different text: more than one shape keeps.
    const base = probeText({ 'runc.version': 'runc version 1.1.000' });
    const cache = new VerdictCache(catalog);
    for (let n = 0; n < 200; n += 1) {
      const text = base.replace('1.1.000', `1.1.${String(n).padStart(3, '0')}`);
      expect(cache.evaluateOutput(text, 'i-1')?.verdict).toStrictEqual(
        evaluateBlock(parseProbeOutput(text)[0]!, catalog, 'i-1'),
      );
    }
  });

  it('keeps an output judged just after the cache started over', () => {
    const catalog = builtinCatalog();
    // Same shape (run lengths), different text: both verdicts live in one list of that shape.
    const a = probeText({ 'runc.version': 'runc version 1.1.12' });
    const b = probeText({ 'runc.version': 'runc version 1.1.13' });
    const cache = new VerdictCache(catalog, { maxEntries: 2 });
    cache.evaluateOutput(a, 'i-a');
    // b fills the bound inside the per-key cache, which starts over; b must still be kept.
    cache.evaluateOutput(b, 'i-b');
    const before = cache.stats();
    expect(cache.evaluateOutput(b, 'i-b')?.verdict).toStrictEqual(
      evaluateBlock(parseProbeOutput(b)[0]!, catalog, 'i-b'),
    );
    expect(cache.stats().hits).toBe(before.hits + 1);
    expect(cache.stats().size).toBeLessThanOrEqual(2);
  });

  it('keeps one cache per catalog in evaluateOutputCached', () => {
    const user = mergeCatalogs(builtinCatalog(), USER_CATALOG);
    for (const [id, text] of inPlaceCorpus(7, 300)) {
      const block = parseProbeOutput(text)[0]!;
      expect(evaluateOutputCached(text, builtinCatalog(), id)?.verdict).toStrictEqual(
        evaluateBlock(block, builtinCatalog(), id),
      );
      expect(evaluateOutputCached(text, user, id)?.verdict).toStrictEqual(evaluateBlock(block, user, id));
    }
  });

  it('keeps one cache per catalog in evaluateBlockCached', () => {
    const user = mergeCatalogs(builtinCatalog(), USER_CATALOG);
    for (const [id, block] of blocks.slice(0, 300)) {
      expect(evaluateBlockCached(block, builtinCatalog(), id)).toStrictEqual(
        evaluateBlock(block, builtinCatalog(), id),
      );
      expect(evaluateBlockCached(block, user, id)).toStrictEqual(evaluateBlock(block, user, id));
    }
  });
});

/**
 * Follows what evaluateFacts reads: every fact()/has() key and every NodeFacts field. Any read of
 * a key outside the derived inputs (and the per-node keys) would make the cache unsound.
 */
function traceReads(facts: NodeFacts, read: Set<string>): NodeFacts {
  const FIELD_KEYS: Record<string, readonly string[]> = {
    node: ['node.id', 'node.hostname'],
    hostname: ['node.hostname'],
    os: ['os.id', 'os.version_id', 'os.pretty_name'],
    packageManager: ['pkg.manager'],
  };
  return new Proxy(facts, {
    get(target, property, receiver) {
      if (property === 'fact' || property === 'has') {
        return (key: string) => {
          read.add(key);
          return property === 'fact' ? target.fact(key) : target.has(key);
        };
      }
      for (const key of FIELD_KEYS[String(property)] ?? []) read.add(key);
      return Reflect.get(target, property, receiver);
    },
  });
}

describe('the derived inputs cover every read', () => {
  it.for([
    ['the built-in catalog', builtinCatalog()],
    ['a user catalog merged in', mergeCatalogs(builtinCatalog(), USER_CATALOG)],
  ] as const)('with %s', ([, catalog]) => {
    const inputs = verdictInputsOf(catalog);
    const allowed = new Set([...inputs.valueKeys, ...inputs.stateKeys, ...PER_NODE_KEYS]);
    const read = new Set<string>();
    for (const [id, block] of blocksOf([...corpus(23), ...smallDomainCorpus(23, 500)])) {
      evaluateFacts(traceReads(toNodeFacts(block, id), read), catalog);
    }
    expect([...read].filter((key) => !allowed.has(key))).toEqual([]);
    // The trace saw the advisories' keys, so it was really following the evaluation.
    expect(read.has('runc.package')).toBe(true);
  });
});
