import { unknownVerdict, unreachableVerdict } from '../core/evaluation/evaluate-node.ts';
import { evaluateOutputCached } from '../core/evaluation/verdict-cache.ts';
import { classifyInvocation, unreachableStatusOf } from '../core/scan/invocation-status.ts';
import { addAllToTally } from '../core/scan/run-tally.ts';
import type { NodeState } from '../core/store/node-state.ts';
import { nodeStateOf } from './node-state-of.ts';
import type { Verdict } from '../core/verdict.ts';
import type { InvocationRecord } from './ports.ts';
import type { ScanDeps } from './scan-deps.ts';
import type { ScanState } from './scan-state.ts';

/**
 * ListCommandInvocations cuts plugin output at 2,500 characters. An output without `end` that is
 * this long may have been cut there, so it is fetched once more whole (GetCommandInvocation, 24,000
 * characters); a shorter one without `end` is a probe that died, and fetching it again would only
 * return the same text.
 */
export const REFETCH_MIN_LENGTH = 2000;

/** Pages written per BatchWrite round: several pages at once keep write batches full. */
const PAGES_PER_WRITE = 2;

interface Judged {
  readonly verdict: Verdict;
  readonly ssmStatus?: string;
  readonly refetched: boolean;
}

/**
 * Reads invocation pages from the cursor on, judges every node and writes its state, until all
 * pages are read or the time budget is spent (then it hands back a cursor for the next pass).
 * Idempotent: a retried pass starts from the same cursor, rewrites the same items (same keys) and
 * returns the same tally, so no node is lost or counted twice.
 */
export async function collectScan(deps: ScanDeps, state: ScanState): Promise<ScanState> {
  const { clock, settings } = deps;
  const started = clock.now().getTime();
  const budget = deps.collectBudgetMs ?? Number.POSITIVE_INFINITY;
  // A long collect must keep the scan lock: each pass extends the lease past its own budget.
  const leaseSeconds = (Number.isFinite(budget) ? budget / 1000 : settings.deadlineSeconds) + 1800;
  await deps.store.renewScanLock({ runId: state.runId, now: clock.now(), leaseSeconds });
  // A node the listing returns twice (a repeated item or page, or one node in two commands) is
  // judged and counted once in the run: the ids earlier passes saw start the set. This pass's own
  // part is left out: an attempt that crashed after saving it never returned its tally.
  const part = String(state.cursor.pass);
  const [targetList, seenBefore] = await Promise.all([
    deps.scratch.loadTargets(state.runId),
    state.cursor.pass > 0 ? deps.scratch.loadSeen(state.runId, { exceptPart: part }) : [],
  ]);
  const targets = new Map(targetList.map((t) => [t.id, t.tags]));
  const judgedInRun = new Set(seenBefore);

  let { commandIndex, nextToken } = state.cursor;
  let tally = state.tally;
  const seen: string[] = [];
  let pending: { states: NodeState[]; judged: Judged[] } = { states: [], judged: [] };
  let pagesInBatch = 0;

  const flush = async (): Promise<void> => {
    if (pending.states.length > 0) await deps.store.putNodeStates(pending.states);
    const refetched = pending.judged.filter((j) => j.refetched).length;
    tally = addAllToTally(tally, pending.judged, refetched);
    pending = { states: [], judged: [] };
    pagesInBatch = 0;
    deps.onProgress?.({ collected: tally.nodes, targeted: Math.max(state.expected, tally.nodes) });
  };

  // At least one page per pass, whatever the budget: a pass always makes progress.
  let pages = 0;
  while (commandIndex < state.commands.length && (pages === 0 || clock.now().getTime() - started < budget)) {
    pages += 1;
    const command = state.commands[commandIndex]!;
    const page = await deps.fleet.listInvocations(command.commandId, nextToken);
    const lastSeen = clock.now();
    const fresh = page.invocations.filter((inv) => !judgedInRun.has(inv.instanceId));
    for (const inv of fresh) judgedInRun.add(inv.instanceId);
    const judged = await Promise.all(fresh.map((inv) => judge(deps, command.commandId, inv)));
    for (const j of judged) {
      seen.push(j.verdict.node);
      pending.judged.push(j);
      pending.states.push(
        nodeStateOf(deps, state.runId, j.verdict, {
          lastSeen,
          tags: targets.get(j.verdict.node),
          ssmStatus: j.ssmStatus,
        }),
      );
    }
    pagesInBatch += 1;
    if (page.nextToken) nextToken = page.nextToken;
    else {
      commandIndex += 1;
      nextToken = undefined;
    }
    if (pagesInBatch >= PAGES_PER_WRITE) await flush();
  }
  await flush();
  await deps.scratch.saveSeen(state.runId, part, seen);
  return {
    ...state,
    tally,
    cursor: { commandIndex, ...(nextToken === undefined ? {} : { nextToken }), pass: state.cursor.pass + 1 },
    collected: commandIndex >= state.commands.length,
  };
}

async function judge(deps: ScanDeps, commandId: string, invocation: InvocationRecord): Promise<Judged> {
  const node = invocation.instanceId;
  const outcome = classifyInvocation(invocation.status, invocation.statusDetails);
  if (outcome === 'in-flight') {
    const status = 'DeadlineExceeded';
    return {
      verdict: unreachableVerdict(node, status, `still ${invocation.status} when the scan deadline passed`),
      ssmStatus: status,
      refetched: false,
    };
  }
  if (outcome === 'unreachable') {
    const status = unreachableStatusOf(invocation.status, invocation.statusDetails);
    return { verdict: unreachableVerdict(node, status), ssmStatus: status, refetched: false };
  }
  // Cached per catalog: nodes with the same versions and symptoms are judged once (same verdicts).
  let judged = evaluateOutputCached(invocation.output, deps.catalog, node);
  let refetched = false;
  if (!judged?.complete && invocation.output.length >= REFETCH_MIN_LENGTH) {
    // The listing cut the output: judge the whole of it instead.
    judged = evaluateOutputCached(await deps.fleet.fetchOutput(commandId, node), deps.catalog, node);
    refetched = true;
  }
  if (!judged) return { verdict: unknownVerdict(node, 'no probe output in the invocation output'), refetched };
  return { verdict: judged.verdict, refetched };
}
