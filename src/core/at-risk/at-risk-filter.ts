import { SEVERITIES, type Severity, severityRank, VERDICT_STATUSES, type VerdictStatus } from '../verdict.ts';
import type { AtRiskEntry } from './at-risk-entry.ts';
import { InvalidFilterError } from './invalid-filter-error.ts';

/** What "at risk" means when nobody says otherwise: something to fix, not something to look at. */
export const DEFAULT_AT_RISK_STATUSES: readonly VerdictStatus[] = ['AT_RISK', 'PENDING_REBOOT'];

/** One tag condition: the node's tag `key` holds one of `values` (ORed). */
export interface TagFilter {
  readonly key: string;
  readonly values: readonly string[];
}

export interface AtRiskFilter {
  readonly statuses: readonly VerdictStatus[];
  /** Keep nodes whose severity is at least this (a node without one is dropped). */
  readonly minSeverity?: Severity;
  /** ANDed across keys. */
  readonly tags: readonly TagFilter[];
}

/**
 * `AT_RISK,PENDING_REBOOT` (case-insensitive, `-` accepted for `_`). COMPLIANT is refused: the
 * attention index holds only nodes that need attention, and an empty answer would mislead.
 */
export function parseStatuses(text: string): VerdictStatus[] {
  const statuses: VerdictStatus[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim().toUpperCase().replaceAll('-', '_');
    if (name === '') continue;
    if (!(VERDICT_STATUSES as readonly string[]).includes(name)) {
      throw new InvalidFilterError(
        'status',
        raw.trim(),
        `not a status (expected ${VERDICT_STATUSES.join(', ')})`,
      );
    }
    if (name === 'COMPLIANT') {
      throw new InvalidFilterError(
        'status',
        raw.trim(),
        'compliant nodes are not in the at-risk list (the report lists every node)',
      );
    }
    if (!statuses.includes(name as VerdictStatus)) statuses.push(name as VerdictStatus);
  }
  if (statuses.length === 0) throw new InvalidFilterError('status', text, 'names no status');
  return statuses;
}

export function parseSeverity(text: string): Severity {
  const name = text.trim().toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(name)) {
    throw new InvalidFilterError('severity', text, `not a severity (expected ${SEVERITIES.join(', ')})`);
  }
  return name as Severity;
}

/**
 * `key=value` conditions; several values of one key are ORed (`cluster=a` and `cluster=b` select
 * both clusters), different keys ANDed. The value is everything after the first `=`, so values may
 * themselves hold `=`.
 */
export function parseTagFilters(specs: readonly string[]): TagFilter[] {
  const byKey = new Map<string, string[]>();
  for (const spec of specs) {
    const at = spec.indexOf('=');
    if (at <= 0) throw new InvalidFilterError('tag', spec, 'expected key=value');
    const key = spec.slice(0, at);
    const value = spec.slice(at + 1);
    const values = byKey.get(key) ?? [];
    if (!values.includes(value)) values.push(value);
    byKey.set(key, values);
  }
  return [...byKey].map(([key, values]) => ({ key, values }));
}

export function matchesAtRiskFilter(entry: AtRiskEntry, filter: AtRiskFilter): boolean {
  if (!filter.statuses.includes(entry.status)) return false;
  if (filter.minSeverity !== undefined) {
    if (entry.severity === undefined || severityRank(entry.severity) < severityRank(filter.minSeverity))
      return false;
  }
  return filter.tags.every(
    (t) => Object.hasOwn(entry.tags, t.key) && t.values.includes(entry.tags[t.key] as string),
  );
}
