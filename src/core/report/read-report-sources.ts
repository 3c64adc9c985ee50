import type { FleetStore } from '../store/fleet-store.ts';
import type { NodeState } from '../store/node-state.ts';
import type { ScanRun } from '../store/scan-run.ts';
import { NoCompleteScanError } from './no-complete-scan-error.ts';

/** Runs read for a report: the trend, the previous COMPLETE scan and any newer ones all fit in it. */
export const REPORT_RUN_WINDOW = 100;

export interface ReportSources {
  readonly runs: readonly ScanRun[];
  readonly histories: readonly (readonly NodeState[])[];
}

/**
 * Reads what buildReport needs from the store: the recent runs first (cheap), so that a store
 * without a COMPLETE scan fails fast, then every node's history (a full table scan).
 *
 * @param noScanHint appended to the NoCompleteScanError message (what the reader should run).
 * @throws NoCompleteScanError when the store holds no COMPLETE scan.
 */
export async function readReportSources(
  store: Pick<FleetStore, 'listRuns' | 'findLatestCompleteRun' | 'listNodeHistories'>,
  now: Date,
  noScanHint?: string,
): Promise<ReportSources> {
  const runs = await store.listRuns({ limit: REPORT_RUN_WINDOW, now });
  if (!runs.some((r) => r.status === 'COMPLETE')) {
    // A long streak of failed scans can push the latest COMPLETE one out of the window.
    const complete = await store.findLatestCompleteRun(now);
    if (!complete) throw new NoCompleteScanError(noScanHint);
    runs.push(complete);
  }
  return { runs, histories: await store.listNodeHistories(now) };
}
