import { TABLE_PARTITION_KEY, TABLE_SORT_KEY, TABLE_TTL_ATTRIBUTE } from '../../shared/table-schema.ts';
import { SEVERITIES, type Severity, VERDICT_STATUSES, type VerdictStatus } from '../verdict.ts';
import type { StoredMap } from './item-size.ts';
import { StoredItemInvalidError } from './stored-item-invalid-error.ts';
import { RUN_PARTITION, runSortKey } from './table-keys.ts';
import { truncateText } from './truncate-text.ts';

export const RUN_STATUSES = ['RUNNING', 'COMPLETE', 'FAILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One scan run: written RUNNING at dispatch, rewritten COMPLETE or FAILED at the end. */
export interface ScanRun {
  readonly runId: string;
  readonly status: RunStatus;
  /** Human description of what was targeted (tag filter, instance list...). */
  readonly targets: string;
  readonly commandIds: readonly string[];
  /** ISO 8601 (`Date#toISOString`); part of the sort key, so it must not change between rewrites. */
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly targeted: number;
  readonly byStatus: Readonly<Record<VerdictStatus, number>>;
  readonly byAdvisory: Readonly<Record<string, number>>;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /** Nodes expected (managed, matching the targets) that never answered: a count and the first ids. */
  readonly coverage: { readonly missing: number; readonly missingNodes: readonly string[] };
  readonly notes: readonly string[];
}

export const DEFAULT_RUN_RETENTION_DAYS = 400;

export const SCAN_RUN_BOUNDS = {
  coverageNodes: 100,
  commandIds: 500,
  notes: 20,
  noteChars: 500,
} as const;

export function emptyStatusCounts(): Record<VerdictStatus, number> {
  return Object.fromEntries(VERDICT_STATUSES.map((s) => [s, 0])) as Record<VerdictStatus, number>;
}

export function emptySeverityCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/** Run item: pk `RUN`, sk `<startedAt>#<runId>`, ttl = startedAt + retention. Lists are bounded. */
export function toRunItem(run: ScanRun, retentionDays: number = DEFAULT_RUN_RETENTION_DAYS): StoredMap {
  const startedAtSeconds = Math.floor(Date.parse(run.startedAt) / 1000);
  return {
    [TABLE_PARTITION_KEY]: RUN_PARTITION,
    [TABLE_SORT_KEY]: runSortKey(run.startedAt, run.runId),
    runId: run.runId,
    status: run.status,
    targets: run.targets,
    commandIds: run.commandIds.slice(0, SCAN_RUN_BOUNDS.commandIds),
    startedAt: run.startedAt,
    ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt }),
    targeted: run.targeted,
    byStatus: { ...emptyStatusCounts(), ...run.byStatus },
    byAdvisory: { ...run.byAdvisory },
    bySeverity: { ...emptySeverityCounts(), ...run.bySeverity },
    coverage: {
      missing: run.coverage.missing,
      missingNodes: run.coverage.missingNodes.slice(0, SCAN_RUN_BOUNDS.coverageNodes),
    },
    notes: run.notes.slice(0, SCAN_RUN_BOUNDS.notes).map((n) => truncateText(n, SCAN_RUN_BOUNDS.noteChars)),
    [TABLE_TTL_ATTRIBUTE]: startedAtSeconds + retentionDays * 86_400,
  };
}

/** The run and the epoch second its item expires at. */
export interface StoredScanRun {
  readonly run: ScanRun;
  readonly expiresAt: number;
}

export function fromRunItem(item: Readonly<Record<string, unknown>>): StoredScanRun {
  const key = `${String(item[TABLE_PARTITION_KEY])}/${String(item[TABLE_SORT_KEY])}`;
  const fail = (field: string, problem: string): never => {
    throw new StoredItemInvalidError(key, field, problem);
  };
  const text = (field: string): string =>
    typeof item[field] === 'string' ? (item[field] as string) : fail(field, 'is not text');
  const count = (value: unknown, field: string): number =>
    typeof value === 'number' && Number.isFinite(value) ? value : fail(field, 'is not a number');
  const counts = (field: string): Record<string, number> => {
    const value = item[field] ?? {};
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(field, 'is not a map');
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, count(v, `${field}.${k}`)]),
    );
  };
  const texts = (value: unknown, field: string): string[] =>
    Array.isArray(value) && value.every((v) => typeof v === 'string')
      ? value
      : fail(field, 'is not a list of text');

  const status = text('status');
  if (!(RUN_STATUSES as readonly string[]).includes(status)) fail('status', `is not a run status: ${status}`);
  const coverage = (item.coverage ?? {}) as Record<string, unknown>;
  const finishedAt = item.finishedAt === undefined ? undefined : text('finishedAt');
  const run: ScanRun = {
    runId: text('runId'),
    status: status as RunStatus,
    targets: text('targets'),
    commandIds: texts(item.commandIds ?? [], 'commandIds'),
    startedAt: text('startedAt'),
    ...(finishedAt === undefined ? {} : { finishedAt }),
    targeted: count(item.targeted, 'targeted'),
    byStatus: { ...emptyStatusCounts(), ...counts('byStatus') },
    byAdvisory: counts('byAdvisory'),
    bySeverity: { ...emptySeverityCounts(), ...counts('bySeverity') },
    coverage: {
      missing: count(coverage.missing ?? 0, 'coverage.missing'),
      missingNodes: texts(coverage.missingNodes ?? [], 'coverage.missingNodes'),
    },
    notes: texts(item.notes ?? [], 'notes'),
  };
  return { run, expiresAt: count(item[TABLE_TTL_ATTRIBUTE], TABLE_TTL_ATTRIBUTE) };
}
