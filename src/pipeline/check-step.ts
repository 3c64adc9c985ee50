import { isCommandFinished } from '../core/scan/invocation-status.ts';
import type { ScanDeps } from './scan-deps.ts';
import type { ScanState } from './scan-state.ts';

/**
 * Looks at the commands once (Step Functions waits between checks; nothing here sleeps) and says
 * whether collect may run: every command finished, or the deadline passed. It needs no lock
 * renewal: dispatch leases the lock until 30 minutes past the deadline, and each collect pass
 * extends it, so polling costs one ListCommands per unfinished command and nothing else.
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
  const ready = commands.every((c) => c.finished) || now.getTime() >= Date.parse(state.deadlineAt);
  return { ...state, commands, ready };
}
