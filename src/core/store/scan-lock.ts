import { TABLE_PARTITION_KEY, TABLE_SORT_KEY, TABLE_TTL_ATTRIBUTE } from '../../shared/table-schema.ts';
import type { StoredMap } from './item-size.ts';
import { StoredItemInvalidError } from './stored-item-invalid-error.ts';
import { LOCK_PARTITION, SCAN_LOCK_SORT_KEY } from './table-keys.ts';

/** The one lock that keeps two scans from running at once; a lease, so a crashed holder cannot wedge it. */
export interface ScanLock {
  readonly runId: string;
  readonly acquiredAt: Date;
  readonly expiresAt: Date;
}

export const SCAN_LOCK_KEY = {
  [TABLE_PARTITION_KEY]: LOCK_PARTITION,
  [TABLE_SORT_KEY]: SCAN_LOCK_SORT_KEY,
} as const;

/** A day after the lease ends the item is garbage; TTL may remove it then. */
const LOCK_TTL_GRACE_SECONDS = 86_400;

export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Lock item: `expiresAt` in epoch seconds, compared in the condition expression. */
export function toLockItem(lock: ScanLock): StoredMap {
  const expiresAt = Math.ceil(lock.expiresAt.getTime() / 1000);
  return {
    ...SCAN_LOCK_KEY,
    runId: lock.runId,
    acquiredAt: lock.acquiredAt.toISOString(),
    expiresAt,
    [TABLE_TTL_ATTRIBUTE]: expiresAt + LOCK_TTL_GRACE_SECONDS,
  };
}

export function fromLockItem(item: Readonly<Record<string, unknown>>): ScanLock {
  const key = `${LOCK_PARTITION}/${SCAN_LOCK_SORT_KEY}`;
  const { runId, acquiredAt, expiresAt } = item;
  if (typeof runId !== 'string') throw new StoredItemInvalidError(key, 'runId', 'is not text');
  if (typeof acquiredAt !== 'string') throw new StoredItemInvalidError(key, 'acquiredAt', 'is not text');
  if (typeof expiresAt !== 'number') throw new StoredItemInvalidError(key, 'expiresAt', 'is not a number');
  return { runId, acquiredAt: new Date(acquiredAt), expiresAt: new Date(expiresAt * 1000) };
}
