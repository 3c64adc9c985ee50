import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemSizeBytes, utf8ByteLength } from '../../../src/core/store/item-size.ts';
import { fromNodeItem, NODE_ITEM_BUDGET_BYTES, toNodeItem } from '../../../src/core/store/node-item.ts';
import { buildNodeState, NODE_STATE_BOUNDS } from '../../../src/core/store/node-state.ts';
import { StoredItemInvalidError } from '../../../src/core/store/stored-item-invalid-error.ts';
import {
  makeFinding,
  makeState,
  makeVerdict,
  RESEARCH_ADVISORY_IDS,
  RUN_ID,
  SEEN,
  worstCaseVerdict,
} from './store-fixtures.ts';

const catalogIds: string[] = (
  JSON.parse(readFileSync(new URL('../../../advisories/catalog.json', import.meta.url), 'utf8')) as {
    advisories: { id: string }[];
  }
).advisories.map((a) => a.id);

function worstCaseState(ids: readonly string[]) {
  const { verdict, tags, tagKeys } = worstCaseVerdict(ids);
  return buildNodeState(verdict, { runId: RUN_ID, lastSeen: SEEN, tags, tagKeys, ssmStatus: 'Success' });
}

describe('toNodeItem / fromNodeItem', () => {
  it('reads back exactly the state it stored', () => {
    const state = makeState(
      {
        findings: [
          makeFinding('B-ADV', 'medium'),
          makeFinding('A-ADV', 'critical'),
          makeFinding('C|ADV', 'low', true),
        ],
        pending: [
          {
            id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW',
            action: 'daemon-reexec',
            detail: 'running 219 | installed 219-67',
          },
        ],
        reasons: ['probe ran 2 s late'],
      },
      { Name: 'web-1', cluster: 'prod', az: 'eu-west-1a', Team: 'not configured' },
    );
    const { item, shrunk } = toNodeItem(state);
    expect(shrunk).toEqual([]);
    // Through JSON, as the wire would carry it.
    expect(fromNodeItem(JSON.parse(JSON.stringify(item)))).toEqual(state);
    expect(state.tags).toEqual({ Name: 'web-1', cluster: 'prod', az: 'eu-west-1a' });
  });

  it('keeps hostile keys as plain data (a __proto__ tag, an advisory id with separators)', () => {
    const tags = JSON.parse('{"__proto__": "evil", "Name": "n"}') as Record<string, string>;
    const state = buildNodeState(
      { ...makeVerdict(), findings: [makeFinding('A|B#C', 'high')] },
      { runId: RUN_ID, lastSeen: SEEN, tags, tagKeys: ['__proto__', 'Name'] },
    );
    expect(Object.keys(state.tags)).toEqual(['__proto__', 'Name']);
    const read = fromNodeItem(JSON.parse(JSON.stringify(toNodeItem(state).item)));
    expect(read).toEqual(state);
    expect(Object.getPrototypeOf(read.tags)).toBe(Object.prototype);
  });

  it('round-trips states without optional parts (no hostname, findings, facts or tags)', () => {
    const state = makeState({
      status: 'UNREACHABLE',
      hostname: undefined,
      findings: [],
      facts: {},
      reasons: ['TimedOut'],
    });
    const { item } = toNodeItem(state);
    expect(Object.keys(item).sort()).toEqual([
      'apk',
      'ask',
      'lastSeen',
      'pk',
      'reasons',
      'runId',
      'sk',
      'status',
      'ttl',
    ]);
    expect(fromNodeItem(item)).toEqual(state);
  });

  it('puts non-compliant states in the attention index and keeps compliant ones out', () => {
    const atRisk = toNodeItem(makeState()).item;
    expect(atRisk.apk).toBe(`RUN#${RUN_ID}`);
    expect(atRisk.ask).toBe('1#2#i-0123456789abcdef0');
    const compliant = toNodeItem(makeState({ status: 'COMPLIANT', findings: [] })).item;
    expect(compliant.apk).toBeUndefined();
    expect(compliant.ask).toBeUndefined();
  });

  it('keys the item by node and fingerprint, with ttl = lastSeen + 90 days', () => {
    const state = makeState();
    const { item } = toNodeItem(state);
    expect(item.pk).toBe('NODE#i-0123456789abcdef0');
    expect(item.sk).toBe(`STATE#${state.fingerprint}`);
    expect(item.ttl).toBe(Date.parse('2025-03-01T00:05:00Z') / 1000 + 90 * 86_400);
  });

  it('keeps a typical at-risk node well under one write unit without shrinking', () => {
    const { sizeBytes, shrunk } = toNodeItem(
      makeState({}, { Name: 'web-1', cluster: 'prod', az: 'eu-west-1a' }),
    );
    expect(shrunk).toEqual([]);
    expect(sizeBytes).toBeLessThan(600);
  });

  it('fits every shipped advisory firing, with 10 maximum-length tags, in one write unit, all findings kept', () => {
    const state = worstCaseState(catalogIds);
    const { item, sizeBytes, shrunk } = toNodeItem(state);
    expect(sizeBytes).toBeLessThanOrEqual(NODE_ITEM_BUDGET_BYTES);
    expect(Object.keys(item.findings as object)).toHaveLength(catalogIds.length);
    expect(shrunk).not.toContain('findings-dropped');
  });

  it('gives up tags beyond the first three before the version facts', () => {
    const { tags, tagKeys } = worstCaseVerdict([]);
    const findings = catalogIds.map((id) => makeFinding(id, 'high'));
    const state = buildNodeState(makeVerdict({ findings }), { runId: RUN_ID, lastSeen: SEEN, tags, tagKeys });
    const { item, sizeBytes } = toNodeItem(state);
    expect(sizeBytes).toBeLessThanOrEqual(NODE_ITEM_BUDGET_BYTES);
    const read = fromNodeItem(item);
    expect(read.facts).toEqual(state.facts);
    expect(Object.keys(read.tags).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(read.tags).slice(0, 3)).toEqual(tagKeys.slice(0, 3).map((k) => `${k.slice(0, 23)}…`));
  });

  it('fits the 24-advisory research catalog all firing in one write unit, shrinking in a fixed order', () => {
    const state = worstCaseState(RESEARCH_ADVISORY_IDS);
    const first = toNodeItem(state);
    expect(first.sizeBytes).toBeLessThanOrEqual(NODE_ITEM_BUDGET_BYTES);
    expect(toNodeItem(state)).toEqual(first);
    const read = fromNodeItem(first.item);
    // The most urgent findings survive, the dropped tail is counted, never silently lost.
    expect(read.findings[0]).toEqual(state.findings[0]);
    expect(read.findings.length + read.findingsOmitted).toBe(RESEARCH_ADVISORY_IDS.length);
    // The index position still reflects the full findings.
    expect(first.item.ask).toBe('1#0#mi-0123456789abcdef0');
  });

  it('applies the hard bounds before any budget', () => {
    const state = worstCaseState(RESEARCH_ADVISORY_IDS);
    expect(Object.keys(state.tags)).toHaveLength(NODE_STATE_BOUNDS.tagCount);
    expect(Object.values(state.tags).every((v) => v.length <= NODE_STATE_BOUNDS.tagValueChars)).toBe(true);
    expect(state.reasons).toHaveLength(NODE_STATE_BOUNDS.reasonCount);
    expect(state.hostname!.length).toBeLessThanOrEqual(NODE_STATE_BOUNDS.hostnameChars);
    expect(state.facts.systemd!.length).toBeLessThanOrEqual(NODE_STATE_BOUNDS.factChars);
    expect(state.pending).toHaveLength(NODE_STATE_BOUNDS.pendingCount);
  });

  it('counts item size the way the write-unit rules do', () => {
    // name bytes + value: "pk"(2) + "NODE#x"(6), "n"(1) + number 12 (2 + 1), "l"(1) + list [3 + 1 + "ab"(2)]
    expect(itemSizeBytes({ pk: 'NODE#x', n: 12, l: ['ab'] })).toBe(8 + 4 + 7);
    expect(itemSizeBytes({ m: { k: 'é' } })).toBe(1 + 3 + 1 + 1 + 2);
  });

  it.for<[string, Record<string, unknown>]>([
    ['a foreign partition key', { pk: 'RUN', sk: 'STATE#x' }],
    ['an unknown status', { status: 'FINE' }],
    ['a bad finding code', { findings: { X: 'critical' } }],
    ['a pending fix without action', { pending: { X: 'soon|' } }],
    ['a ttl that is text', { ttl: '123' }],
  ])('names the field when an item has %s', ([, change]) => {
    const item = { ...toNodeItem(makeState()).item, ...change };
    expect(() => fromNodeItem(item)).toThrow(StoredItemInvalidError);
  });
});

describe('utf8ByteLength', () => {
  it('agrees with TextEncoder on any text, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
      }),
      { numRuns: 300 },
    );
  });
});
