import type { FleetStore } from '../store/fleet-store.ts';
import type { NodeState } from '../store/node-state.ts';
import { ATTENTION_STATUSES } from '../store/table-keys.ts';
import type { CampaignPlan } from './campaign-plan.ts';
import { type CampaignStatus, computeCampaignStatus } from './campaign-status.ts';

export interface ReadCampaignStatusOptions {
  readonly now: Date;
  /** getNodeState calls in flight at once. Default 16. */
  readonly concurrency?: number;
}

/**
 * Reads what the plan's progress needs with as few reads as the store allows: the current
 * attention set (sparse index: cost follows the nodes still needing attention) gives the newest
 * state of every planned node that still needs attention, and of nodes outside the plan; only the
 * others (typically the remediated ones) are read one by one, a bounded number at a time.
 */
export async function readCampaignStatus(
  store: Pick<FleetStore, 'listCurrentAttention' | 'getNodeState'>,
  plan: CampaignPlan,
  options: ReadCampaignStatusOptions,
): Promise<CampaignStatus> {
  const { now } = options;
  const { nodes: attention } = await store.listCurrentAttention({ now, statuses: ATTENTION_STATUSES });
  const states = new Map<string, NodeState | undefined>();
  for (const state of attention) states.set(state.node, state);
  const rest = plan.waves.flatMap((w) => w.nodes.map((n) => n.node)).filter((node) => !states.has(node));
  const read = await mapBounded(rest, options.concurrency ?? 16, (node) => store.getNodeState(node, now));
  rest.forEach((node, i) => {
    states.set(node, read[i]);
  });
  return computeCampaignStatus(plan, states, attention, now);
}

async function mapBounded<T, R>(
  inputs: readonly T[],
  width: number,
  map: (input: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const index = next;
      next += 1;
      results[index] = await map(inputs[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, inputs.length)) }, worker));
  return results;
}
