import { unreachableVerdict } from '../core/evaluation/evaluate-node.ts';
import { addAllToTally, emptyTally, type RunTally } from '../core/scan/run-tally.ts';
import { formatTargets } from '../core/scan/scan-settings.ts';
import { SCAN_RUN_BOUNDS, type ScanRun } from '../core/store/scan-run.ts';
import { nodeStateOf } from './node-state-of.ts';
import type { ScanDeps } from './scan-deps.ts';
import type { ScanState, ScanSummary } from './scan-state.ts';

/** The SSM status kept for a node the targets select but SSM never invoked. */
export const NOT_INVOKED = 'NotInvoked';

/**
 * Closes the run: nodes the targets select that never got an invocation are recorded UNREACHABLE
 * (coverage is reported, never silently missing), the run item gets its counts and COMPLETE, and
 * the lock is released. Idempotent: the same state gives the same writes.
 */
export async function finalizeScan(deps: ScanDeps, state: ScanState): Promise<ScanSummary> {
  const now = deps.clock.now();
  const [targets, seenIds] = await Promise.all([
    deps.scratch.loadTargets(state.runId),
    deps.scratch.loadSeen(state.runId),
  ]);
  const seen = new Set(seenIds);
  const missing = targets.filter((t) => !seen.has(t.id));
  const judged = missing.map((t) => ({
    verdict: unreachableVerdict(
      t.id,
      NOT_INVOKED,
      'selected by the targets but SSM never ran the probe there (not managed by SSM, stopped, or new)',
    ),
    ssmStatus: NOT_INVOKED,
    tags: t.tags,
  }));
  if (judged.length > 0) {
    await deps.store.putNodeStates(
      judged.map((j) =>
        nodeStateOf(deps, state.runId, j.verdict, { lastSeen: now, tags: j.tags, ssmStatus: j.ssmStatus }),
      ),
    );
  }
  const tally = addAllToTally(state.tally, judged);
  const summary = summarize(
    state,
    tally,
    now,
    missing.map((m) => m.id),
    targets.length,
  );
  await deps.store.saveRun(
    runItem(state, tally, 'COMPLETE', summary.finishedAt, {
      coverage: { missing: missing.length, missingNodes: summary.coverage.missingNodes },
      notes: runNotes(tally),
    }),
  );
  await deps.store.releaseScanLock(state.runId);
  return summary;
}

/**
 * Marks a run FAILED (Step Functions' catch path) and releases the lock; the error text is kept.
 * When dispatch itself failed, the state is only `{ runId, startedAt }`: the run then records the
 * configured targets, no commands and no counts. The run item has the same key as dispatch's
 * RUNNING item (startedAt normalised the way dispatch does).
 */
export async function failScan(
  deps: ScanDeps,
  state: Pick<ScanState, 'runId' | 'startedAt'> & Partial<Pick<ScanState, 'targets' | 'commands' | 'tally'>>,
  error: string,
): Promise<void> {
  const now = deps.clock.now();
  const run = {
    runId: state.runId,
    startedAt: new Date(state.startedAt).toISOString(),
    targets: state.targets ?? formatTargets(deps.settings.targets),
    commands: state.commands ?? [],
  };
  await deps.store.saveRun(
    runItem(run, state.tally ?? emptyTally(), 'FAILED', now.toISOString(), {
      coverage: { missing: 0, missingNodes: [] },
      notes: [`failed: ${error}`.slice(0, SCAN_RUN_BOUNDS.noteChars)],
    }),
  );
  await deps.store.releaseScanLock(state.runId);
}

function runNotes(tally: RunTally): string[] {
  const notes = [`hangs in progress: ${tally.hangs}`, `outputs fetched again whole: ${tally.refetched}`];
  const ssm = Object.entries(tally.bySsmStatus)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  if (ssm) notes.push(`unreachable by SSM status: ${ssm}`);
  return notes;
}

/** The run item finalize and the catch path write: the run's own fields and its counts. */
function runItem(
  run: Pick<ScanState, 'runId' | 'startedAt' | 'targets' | 'commands'>,
  tally: RunTally,
  status: 'COMPLETE' | 'FAILED',
  finishedAt: string,
  rest: Pick<ScanRun, 'coverage' | 'notes'>,
): ScanRun {
  return {
    runId: run.runId,
    status,
    targets: run.targets,
    commandIds: run.commands.map((c) => c.commandId),
    startedAt: run.startedAt,
    finishedAt,
    targeted: tally.nodes,
    byStatus: tally.byStatus,
    byAdvisory: tally.byAdvisory,
    bySeverity: tally.bySeverity,
    ...rest,
  };
}

function summarize(
  state: ScanState,
  tally: RunTally,
  now: Date,
  missing: readonly string[],
  expected: number,
): ScanSummary {
  return {
    runId: state.runId,
    status: 'COMPLETE',
    startedAt: state.startedAt,
    finishedAt: now.toISOString(),
    targets: state.targets,
    commandIds: state.commands.map((c) => c.commandId),
    targeted: tally.nodes,
    byStatus: tally.byStatus,
    bySeverity: tally.bySeverity,
    byAdvisory: tally.byAdvisory,
    bySsmStatus: tally.bySsmStatus,
    hangs: tally.hangs,
    refetched: tally.refetched,
    coverage: {
      expected,
      missing: missing.length,
      missingNodes: missing.slice(0, SCAN_RUN_BOUNDS.coverageNodes),
    },
  };
}
