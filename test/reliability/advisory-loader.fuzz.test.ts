import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import builtin from '../../advisories/catalog.json' with { type: 'json' };
import { parseCatalog } from '../../src/core/advisory/catalog.ts';
import { InvalidAdvisoryError } from '../../src/core/advisory/errors.ts';
import { evaluateBlock } from '../../src/core/evaluation/evaluate-node.ts';
import { parseProbeOutput } from '../../src/core/probe/parse-probe-output.ts';
import { VERDICT_STATUSES } from '../../src/core/verdict.ts';
import { loadProfiles } from '../../src/local/fleet/load-profiles.ts';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.ts';

/**
 * The advisory loader against damaged catalogs. Advisories are data a user can supply, so a bad
 * file must be refused with an InvalidAdvisoryError naming the field (Cloud Custodian style), never
 * crash the loader, and never be half-accepted. The damage is done to the built-in catalog, one
 * mutation per case, so every kind of field (ids, enums, versions, regular expressions, nested
 * conditions, symptoms, references) is hit.
 */

const RUNS = fuzzRuns(3000);
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

const BUILTIN = builtin as unknown as { schemaVersion: 1; advisories: Json[] };
const blocks = [...loadProfiles().values()].map((text) => parseProbeOutput(text)[0]!);

/** `match.version.ranges[0].fixed`, as InvalidAdvisoryError spells a field. */
function fieldOf(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
}

interface Site {
  readonly path: Path;
  readonly value: Json;
}

/** Every place in an advisory, containers and leaves alike. */
function sitesOf(value: Json, path: Path = []): Site[] {
  const out: Site[] = path.length > 0 ? [{ path, value }] : [];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...sitesOf(v, [...path, i]));
  } else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...sitesOf(v, [...path, k]));
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function parentOf(root: Json, path: Path): { container: Json[] | Record<string, Json>; key: string | number } {
  let node = root as Json;
  for (const p of path.slice(0, -1)) node = (node as Record<string | number, Json>)[p] as Json;
  return { container: node as Json[] | Record<string, Json>, key: path[path.length - 1]! };
}

function setAt(root: Json, path: Path, value: Json | undefined): void {
  const { container, key } = parentOf(root, path);
  if (value === undefined) {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
  } else (container as Record<string | number, Json>)[key] = value;
}

/** A value of another JSON type than `value` (a string becomes a number, an object an array...). */
function retyped(value: Json, pick: number): Json {
  const options: Json[] = [17, 'text', true, null, [], { x: 1 }].filter((o) => jsonType(o) !== jsonType(value));
  return options[pick % options.length]!;
}

function jsonType(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

const VERSION_BOUND = /\.(ranges\[\d+\]\.(introduced|fixed|lastAffected)|distros\[\d+\]\.(introduced|fixed))$/;
const PATTERN_FIELD = /\.(stream|matches)$/;
const ENUM_FIELD = /(^severity|\.severity|^components\[\d+\]|^actions\[\d+\]|\.component|\.scheme|\.state)$/;

type Mutation =
  | { readonly kind: 'retype'; readonly site: number; readonly pick: number }
  | { readonly kind: 'remove'; readonly site: number }
  | { readonly kind: 'unknown-key'; readonly site: number }
  | { readonly kind: 'bad-version'; readonly site: number }
  | { readonly kind: 'bad-pattern'; readonly site: number }
  | { readonly kind: 'bad-enum'; readonly site: number }
  | { readonly kind: 'empty-array'; readonly site: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('retype' as const), site: fc.nat(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), site: fc.nat() }),
  fc.record({ kind: fc.constant('unknown-key' as const), site: fc.nat() }),
  fc.record({ kind: fc.constant('bad-version' as const), site: fc.nat() }),
  fc.record({ kind: fc.constant('bad-pattern' as const), site: fc.nat() }),
  fc.record({ kind: fc.constant('bad-enum' as const), site: fc.nat() }),
  fc.record({ kind: fc.constant('empty-array' as const), site: fc.nat() }),
);

/**
 * Applies one mutation to a copy of advisory `index` and says what the loader must answer:
 * `exact` (rejected, naming this field), `near` (rejected naming this field or the object holding
 * it: a rule across fields, such as "a range takes fixed or lastAffected", belongs to the object),
 * or `maybe` (a removal or an emptied list may leave a valid advisory; if refused, as `near`).
 */
function mutate(
  advisory: Json,
  m: Mutation,
): { advisory: Json; path: Path; expect: 'exact' | 'near' | 'maybe' } | undefined {
  const copy = clone(advisory);
  const sites = sitesOf(copy);
  const pickSite = (ok: (s: Site) => boolean): Site | undefined => {
    const candidates = sites.filter(ok);
    return candidates.length === 0 ? undefined : candidates[m.site % candidates.length];
  };
  switch (m.kind) {
    case 'retype': {
      const site = pickSite(() => true);
      if (!site) return undefined;
      setAt(copy, site.path, retyped(site.value, m.pick));
      return { advisory: copy, path: site.path, expect: 'exact' };
    }
    case 'remove': {
      const site = pickSite((s) => typeof s.path[s.path.length - 1] === 'string');
      if (!site) return undefined;
      setAt(copy, site.path, undefined);
      return { advisory: copy, path: site.path, expect: 'maybe' };
    }
    case 'unknown-key': {
      const objects = sites.filter((s) => s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value));
      const site = m.site % (objects.length + 1) === objects.length ? { path: [] as Path, value: copy } : objects[m.site % (objects.length + 1)]!;
      (site.value as Record<string, Json>).zzUnknownField = 1;
      return { advisory: copy, path: [...site.path, 'zzUnknownField'], expect: 'exact' };
    }
    case 'bad-version': {
      const site = pickSite((s) => VERSION_BOUND.test(`.${fieldOf(s.path)}`));
      if (!site) return undefined;
      setAt(copy, site.path, 'not a version!');
      return { advisory: copy, path: site.path, expect: 'exact' };
    }
    case 'bad-pattern': {
      const site = pickSite((s) => PATTERN_FIELD.test(`.${fieldOf(s.path)}`));
      if (!site) return undefined;
      setAt(copy, site.path, '(unclosed[');
      return { advisory: copy, path: site.path, expect: 'exact' };
    }
    case 'bad-enum': {
      const site = pickSite((s) => typeof s.value === 'string' && ENUM_FIELD.test(fieldOf(s.path)));
      if (!site) return undefined;
      setAt(copy, site.path, 'bogus');
      return { advisory: copy, path: site.path, expect: 'exact' };
    }
    case 'empty-array': {
      const site = pickSite((s) => Array.isArray(s.value) && (s.value as Json[]).length > 0);
      if (!site) return undefined;
      setAt(copy, site.path, []);
      return { advisory: copy, path: site.path, expect: 'maybe' };
    }
  }
}

function load(advisories: Json[]): unknown {
  try {
    return parseCatalog({ schemaVersion: 1, advisories }, 'fuzz.json');
  } catch (error) {
    return error;
  }
}

describe('advisory loader under fuzzing', () => {
  it(
    `refuses every damaged advisory with an error naming the field (${RUNS} mutations)`,
    () => {
      let refused = 0;
      fc.assert(
        fc.property(fc.nat({ max: BUILTIN.advisories.length - 1 }), mutation, (index, m) => {
          const target = BUILTIN.advisories[index]!;
          const damaged = mutate(target, m);
          fc.pre(damaged !== undefined);
          const { advisory, path, expect: expected } = damaged!;
          const advisories = clone(BUILTIN.advisories);
          advisories[index] = advisory;
          const result = load(advisories);
          if (!(result instanceof Error)) {
            expect(expected, `accepted ${m.kind} at ${fieldOf(path)}`).toBe('maybe');
            return;
          }
          refused += 1;
          expect(result).toBeInstanceOf(InvalidAdvisoryError);
          const error = result as InvalidAdvisoryError;
          const field = fieldOf(path);
          const parent = fieldOf(path.slice(0, -1));
          if (expected === 'exact') expect(error.field, `${m.kind}: ${error.message}`).toBe(field);
          else expect([field, parent], `${m.kind}: ${error.message}`).toContain(error.field);
          expect(error.message).toContain(`field ${error.field}`);
          expect(error.message.startsWith('fuzz.json: ')).toBe(true);
          // The advisory is named whenever its id survived the damage.
          const id = (advisory as { id?: unknown }).id;
          if (typeof id === 'string' && path[0] !== 'id') expect(error.advisoryId).toBe(id);
        }),
        { numRuns: RUNS },
      );
      expect(refused).toBeGreaterThan(RUNS / 2);
    },
    fuzzTimeoutMs(3000, 3),
  );

  it(
    `judges every recorded profile without throwing under catalogs the damage left valid (${Math.ceil(RUNS / 10)} cases)`,
    () => {
      fc.assert(
        fc.property(fc.nat({ max: BUILTIN.advisories.length - 1 }), fc.constantFrom<Mutation['kind']>('remove', 'empty-array'), fc.nat(), (index, kind, site) => {
          const damaged = mutate(BUILTIN.advisories[index]!, { kind, site } as Mutation);
          fc.pre(damaged !== undefined);
          const advisories = clone(BUILTIN.advisories);
          advisories[index] = damaged!.advisory;
          const catalog = load(advisories);
          fc.pre(!(catalog instanceof Error));
          for (const block of blocks) {
            const verdict = evaluateBlock(block, catalog as ReturnType<typeof parseCatalog>);
            expect(VERDICT_STATUSES).toContain(verdict.status);
          }
        }),
        { numRuns: Math.ceil(RUNS / 10) },
      );
    },
    fuzzTimeoutMs(3000, 3),
  );

  it(`never throws anything but InvalidAdvisoryError on arbitrary JSON (${RUNS} documents)`, () => {
    const anyAdvisory = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.constantFrom('id', 'title', 'summary', 'severity', 'components', 'match', 'symptoms', 'remediation', 'actions', 'rebootRequired', 'reexecRequired', 'references', 'notes'), fc.jsonValue()),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ schemaVersion: fc.constantFrom<Json>(1, 2, '1', null), advisories: fc.oneof(fc.array(anyAdvisory, { maxLength: 4 }), fc.jsonValue()) }),
        ),
        (document) => {
          try {
            parseCatalog(document, 'any.json');
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidAdvisoryError);
            expect((error as InvalidAdvisoryError).field.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, fuzzTimeoutMs(3000, 3));

  it.for([
    ['a file that is not an object', [], '(root)'],
    ['another schema version', { schemaVersion: 2, advisories: [] }, 'schemaVersion'],
    ['advisories that are not a list', { schemaVersion: 1, advisories: {} }, 'advisories'],
    ['an unknown top-level field', { schemaVersion: 1, advisories: [], extra: true }, 'extra'],
    ['a duplicated id', { schemaVersion: 1, advisories: [BUILTIN.advisories[0], BUILTIN.advisories[0]] }, 'id'],
  ] as const)('names the field of %s', ([, document, field]) => {
    expect(() => parseCatalog(document, 'file.json')).toThrow(InvalidAdvisoryError);
    try {
      parseCatalog(document, 'file.json');
    } catch (error) {
      expect((error as InvalidAdvisoryError).field).toBe(field);
    }
  });
});
