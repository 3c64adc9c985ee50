import { buildNodeState, type NodeState } from '../core/store/node-state.ts';
import type { Verdict } from '../core/verdict.ts';
import type { ScanDeps } from './scan-deps.ts';

/** A judged node's state as collect and finalize store it, with the scan's tag keys and retention. */
export function nodeStateOf(
  deps: Pick<ScanDeps, 'settings'>,
  runId: string,
  verdict: Verdict,
  seen: {
    readonly lastSeen: Date;
    readonly tags: Readonly<Record<string, string>> | undefined;
    readonly ssmStatus: string | undefined;
  },
): NodeState {
  return buildNodeState(verdict, {
    runId,
    lastSeen: seen.lastSeen,
    tags: seen.tags,
    tagKeys: deps.settings.storedTagKeys,
    ssmStatus: seen.ssmStatus,
    historyRetentionDays: deps.settings.historyRetentionDays,
  });
}
