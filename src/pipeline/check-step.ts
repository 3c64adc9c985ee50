import { isCommandFinished } from '../core/scan/invocation-status.ts';
import type { ScanDeps } from './scan-deps.ts';
import type { ScanState } from './scan-state.ts';

/**
 * Looks at the commands once (Step Functions waits between checks; nothing here sleeps) and says
 * whether collect may run: every command finished, or the deadline passed. Renews the lock lease.
 */
export async function checkScan(deps: ScanDeps, state: ScanState): Promise<ScanState> {
  const now = deps.clock.now();
  const commands = await Promise.all(
    state.commands.map(async (c) => {
      if (c.finished) return c;
      const progress = await deps.fleet.describeCommand(c.commandId);
      return { ...c, targetCount: progress.targetCount, finished: isCommandFinished(progress.status) };
    }),
  );
  await deps.store.renewScanLock({
    runId: state.runId,
    now,
    leaseSeconds: Math.max(0, (Date.parse(state.deadlineAt) - now.getTime()) / 1000) + 1800,
  });
  const ready = commands.every((c) => c.finished) || now.getTime() >= Date.parse(state.deadlineAt);
  return { ...state, commands, ready };
}
