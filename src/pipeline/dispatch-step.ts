import { emptyTally } from '../core/scan/run-tally.ts';
import {
  chunk,
  formatTargets,
  MAX_INSTANCE_IDS_PER_COMMAND,
  type ScanTargets,
} from '../core/scan/scan-settings.ts';
import { ScanAlreadyRunningError } from '../core/store/scan-already-running-error.ts';
import { emptySeverityCounts, emptyStatusCounts } from '../core/store/scan-run.ts';
import type { SentCommand } from './ports.ts';
import type { ScanDeps } from './scan-deps.ts';
import type { ScanState } from './scan-state.ts';

export interface DispatchInput {
  /** Unique per run (Step Functions: the execution name, so a duplicate delivery is the same run). */
  readonly runId: string;
  /** Fixed for the run (Step Functions: the execution start time), so a retried dispatch agrees. */
  readonly startedAt: string;
}

/** Run ids are Step Functions execution names: at most 80 characters of this set. */
const RUN_ID = /^[A-Za-z0-9_.:-]{1,80}$/;

function commentPrefix(runId: string): string {
  return `fc run ${runId} `;
}

/**
 * Comments tie commands to their run; dispatch re-run after a crash looks them up instead of
 * resending. At most 7 + 80 + 1 + 9 characters: within SSM's 100-character Comment limit.
 */
export function commandComment(runId: string, part: number, parts: number): string {
  return `${commentPrefix(runId)}${part}/${parts}`;
}

/**
 * Takes the scan lock, records which nodes the targets select, sends the probe, and writes the
 * RUNNING run item. Idempotent: a re-run finds the commands already sent (by their comment) and
 * sends only the missing parts.
 */
export async function dispatchScan(deps: ScanDeps, input: DispatchInput): Promise<ScanState> {
  const { settings, clock } = deps;
  if (!RUN_ID.test(input.runId))
    throw new TypeError(
      `runId must be 1 to 80 of A-Z a-z 0-9 _ . : - (got ${JSON.stringify(input.runId).slice(0, 100)})`,
    );
  const started = new Date(input.startedAt);
  if (Number.isNaN(started.getTime())) throw new TypeError(`startedAt is not a date: ${input.startedAt}`);
  const now = clock.now();
  const lease = { runId: input.runId, now, leaseSeconds: settings.deadlineSeconds + 1800 };
  try {
    await deps.store.acquireScanLock(lease);
  } catch (error) {
    // A retried dispatch of this same run finds its own lock: carry on (and extend the lease).
    if (!(error instanceof ScanAlreadyRunningError) || error.holderRunId !== input.runId) throw error;
    await deps.store.renewScanLock(lease);
  }

  const expected = await deps.directory.listTargets(settings.targets, settings.storedTagKeys);
  await deps.scratch.saveTargets(input.runId, expected);

  const parts = commandParts(settings.targets);
  const prefix = commentPrefix(input.runId);
  const earlier = await deps.fleet.findSentCommands(
    settings.documentName,
    new Date(started.getTime() - 60_000),
    prefix,
  );
  const byComment = new Map(earlier.map((c) => [c.comment, c]));
  const sent: SentCommand[] = [];
  for (const [index, targets] of parts.entries()) {
    const comment = commandComment(input.runId, index + 1, parts.length);
    const existing = byComment.get(comment);
    sent.push(
      existing ??
        (await deps.fleet.sendProbe({
          documentName: settings.documentName,
          targets,
          maxConcurrency: settings.maxConcurrency,
          maxErrors: settings.maxErrors,
          deliveryTimeoutSeconds: settings.deliveryTimeoutSeconds,
          comment,
        })),
    );
  }

  const targetsText = formatTargets(settings.targets);
  await deps.store.saveRun({
    runId: input.runId,
    status: 'RUNNING',
    targets: targetsText,
    commandIds: sent.map((c) => c.commandId),
    startedAt: started.toISOString(),
    targeted: 0,
    byStatus: emptyStatusCounts(),
    byAdvisory: {},
    bySeverity: emptySeverityCounts(),
    coverage: { missing: 0, missingNodes: [] },
    notes: [],
  });

  return {
    runId: input.runId,
    startedAt: started.toISOString(),
    deadlineAt: new Date(started.getTime() + settings.deadlineSeconds * 1000).toISOString(),
    targets: targetsText,
    expected: expected.length,
    commands: sent.map((c) => ({ commandId: c.commandId, targetCount: c.targetCount, finished: false })),
    ready: false,
    cursor: { commandIndex: 0, pass: 0 },
    collected: false,
    tally: emptyTally(),
  };
}

function commandParts(targets: ScanTargets): ScanTargets[] {
  if (targets.kind === 'tags') return [targets];
  return chunk(targets.ids, MAX_INSTANCE_IDS_PER_COMMAND).map((ids) => ({ kind: 'instances', ids }));
}
