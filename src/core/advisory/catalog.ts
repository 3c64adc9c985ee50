import type { z } from 'zod';
import { isValidVersion } from '../version/compare.ts';
import type { VersionScheme } from '../verdict.ts';
import { InvalidAdvisoryError } from './errors.ts';
import { type Advisory, advisorySchema, type Condition, catalogFileSchema } from './schema.ts';

/** A validated set of advisories, in file order, addressable by id. */
export interface Catalog {
  readonly advisories: readonly Advisory[];
  readonly sources: readonly string[];
}

/**
 * Validates a parsed catalog file (`{ schemaVersion: 1, advisories: [...] }`). Each advisory is
 * checked on its own so the error names it; version strings must parse in their scheme and stream
 * patterns must compile, so a typo fails at load rather than silently never matching.
 *
 * @throws InvalidAdvisoryError naming the source, the advisory id and the field.
 */
export function parseCatalog(input: unknown, source: string): Catalog {
  const file = catalogFileSchema.safeParse(input);
  if (!file.success) throw fromZod(source, file.error, undefined);
  const advisories: Advisory[] = [];
  const seen = new Set<string>();
  file.data.advisories.forEach((raw, index) => {
    const label = idOf(raw) ?? `#${index}`;
    const parsed = advisorySchema.safeParse(raw);
    if (!parsed.success) throw fromZod(source, parsed.error, label);
    const advisory = parsed.data;
    if (seen.has(advisory.id)) throw new InvalidAdvisoryError(source, 'id', 'duplicate id in this file', advisory.id);
    seen.add(advisory.id);
    checkCondition(advisory.match, 'match', source, advisory.id);
    advisory.symptoms?.forEach((s, i) => {
      checkCondition(s.when, `symptoms[${i}].when`, source, advisory.id);
    });
    advisories.push(advisory);
  });
  return { advisories, sources: [source] };
}

/** A user catalog adds advisories and replaces built-in ones with the same id. */
export function mergeCatalogs(base: Catalog, override: Catalog): Catalog {
  const replaced = new Map(override.advisories.map((a) => [a.id, a]));
  const merged = base.advisories.map((a) => replaced.get(a.id) ?? a);
  const baseIds = new Set(base.advisories.map((a) => a.id));
  for (const a of override.advisories) if (!baseIds.has(a.id)) merged.push(a);
  return { advisories: merged, sources: [...base.sources, ...override.sources] };
}

/** Keeps only the named advisories (`--only`); an unknown id is an error, not an empty result. */
export function selectAdvisories(catalog: Catalog, ids: readonly string[]): Catalog {
  const byId = new Map(catalog.advisories.map((a) => [a.id, a]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new InvalidAdvisoryError('--only', 'id', `unknown advisory id ${unknown.join(', ')}`);
  }
  return { advisories: ids.map((id) => byId.get(id)!), sources: catalog.sources };
}

function idOf(raw: unknown): string | undefined {
  if (typeof raw === 'object' && raw !== null && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' && id.length <= 64) return id;
  }
  return undefined;
}

function fromZod(source: string, error: z.ZodError, advisoryId: string | undefined): InvalidAdvisoryError {
  const issue = error.issues[0];
  const specific = issue === undefined ? undefined : specificIssue(issue, []);
  const field = specific && specific.path.length > 0 ? formatPath(specific.path) : '(root)';
  return new InvalidAdvisoryError(source, field, specific?.message ?? 'invalid', advisoryId, { cause: error });
}

type Issue = z.ZodError['issues'][number];

/**
 * The field an issue is really about. A condition is a union of one-key objects, so zod reports a
 * bad `match.version.component` as "Invalid input" on `match`. The branch named by the condition's
 * key is the one with the fewest unrecognized keys (the others also complain of that key): follow
 * it. When no single branch is closest (an empty object, two keys, not an object at all), the union
 * itself is the bad field. An unrecognized key is named itself.
 */
function specificIssue(issue: Issue, base: readonly PropertyKey[]): { path: PropertyKey[]; message: string } {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const strayKeys = (branch: readonly Issue[]): number =>
      branch.reduce((n, i) => n + (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys.length : 0), 0);
    const fewest = Math.min(...issue.errors.map(strayKeys));
    const closest = issue.errors.filter((branch) => strayKeys(branch) === fewest);
    const first = closest.length === 1 ? closest[0]?.[0] : undefined;
    if (first !== undefined) return specificIssue(first, path);
    const keys = issue.errors.flatMap((branch) => {
      const key = branch.find((i) => i.path.length === 1)?.path[0];
      return key === undefined ? [] : [String(key)];
    });
    if (keys.length === issue.errors.length) return { path, message: `expected an object with exactly one of ${keys.join(', ')}` };
    return { path, message: issue.message };
  }
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    return { path: [...path, issue.keys[0]!], message: 'unknown field' };
  }
  return { path, message: issue.message };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

export function defaultSchemeOf(component: string): VersionScheme {
  return component === 'systemd' ? 'systemd' : 'upstream';
}

function checkCondition(condition: Condition, field: string, source: string, id: string): void {
  if ('all' in condition || 'any' in condition) {
    const [kind, children] = 'all' in condition ? ['all', condition.all] : ['any', condition.any];
    children.forEach((c, i) => {
      checkCondition(c, `${field}.${kind}[${i}]`, source, id);
    });
  } else if ('not' in condition) checkCondition(condition.not, `${field}.not`, source, id);
  else if ('fact' in condition) {
    if (condition.fact.matches !== undefined) checkPattern(condition.fact.matches, `${field}.fact.matches`, source, id);
  } else if ('version' in condition) {
    const v = condition.version;
    const scheme = v.scheme ?? defaultSchemeOf(v.component);
    v.ranges.forEach((r, i) => {
      for (const bound of ['introduced', 'fixed', 'lastAffected'] as const) {
        const value = r[bound];
        if (value !== undefined && !isValidVersion(scheme, value)) {
          const where = `${field}.version.ranges[${i}].${bound}`;
          throw new InvalidAdvisoryError(source, where, `"${value}" is not a valid ${scheme} version`, id);
        }
      }
    });
    v.distros?.forEach((d, i) => {
      for (const bound of ['introduced', 'fixed'] as const) {
        const value = d[bound];
        if (value !== undefined && !isValidVersion(d.scheme, value)) {
          const where = `${field}.version.distros[${i}].${bound}`;
          throw new InvalidAdvisoryError(source, where, `"${value}" is not a valid ${d.scheme} version`, id);
        }
      }
      if (d.stream !== undefined) checkPattern(d.stream, `${field}.version.distros[${i}].stream`, source, id);
    });
  }
}

function checkPattern(pattern: string, field: string, source: string, id: string): void {
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new InvalidAdvisoryError(source, field, `not a valid regular expression: ${pattern}`, id, { cause: error });
  }
}
