import { describe, expect, it } from 'vitest';
import { fromLockItem, toLockItem } from '../../../src/core/store/scan-lock.ts';
import {
  emptySeverityCounts,
  emptyStatusCounts,
  fromRunItem,
  SCAN_RUN_BOUNDS,
  type ScanRun,
  toRunItem,
} from '../../../src/core/store/scan-run.ts';

const run: ScanRun = {
  runId: 'r1',
  status: 'COMPLETE',
  targets: 'tag:fleet-compliance=on',
  commandIds: ['c-1'],
  startedAt: '2025-03-01T00:00:00.000Z',
  finishedAt: '2025-03-01T00:09:00.000Z',
  targeted: 3,
  byStatus: { ...emptyStatusCounts(), AT_RISK: 1, COMPLIANT: 2 },
  byAdvisory: { 'RUNC-CVE-2024-21626': 1 },
  bySeverity: { ...emptySeverityCounts(), high: 1 },
  coverage: { missing: 1, missingNodes: ['i-gone'] },
  notes: [],
};

describe('scan run items', () => {
  it('round-trips a run, keyed by start time so runs sort by time', () => {
    const item = toRunItem(run, 10);
    expect(item.pk).toBe('RUN');
    expect(item.sk).toBe('2025-03-01T00:00:00.000Z#r1');
    expect(item.ttl).toBe(Date.parse(run.startedAt) / 1000 + 10 * 86_400);
    expect(fromRunItem(JSON.parse(JSON.stringify(item))).run).toEqual(run);
  });

  it('bounds the coverage list but keeps the full count', () => {
    const many = Array.from({ length: 500 }, (_, i) => `i-${i}`);
    const item = fromRunItem(toRunItem({ ...run, coverage: { missing: 500, missingNodes: many } })).run;
    expect(item.coverage.missing).toBe(500);
    expect(item.coverage.missingNodes).toHaveLength(SCAN_RUN_BOUNDS.coverageNodes);
  });
});

describe('scan lock items', () => {
  it('round-trips the holder and rounds the lease end up to a whole second', () => {
    const lock = {
      runId: 'r1',
      acquiredAt: new Date('2025-03-01T00:00:00.000Z'),
      expiresAt: new Date('2025-03-01T00:15:00.000Z'),
    };
    const item = toLockItem(lock);
    expect(item.expiresAt).toBe(Date.parse('2025-03-01T00:15:00Z') / 1000);
    expect(fromLockItem(item)).toEqual(lock);
  });
});
