import type { VirtualFleet } from '../fleet/virtual-fleet.ts';
import type { Clock } from './clock.ts';
import type { CommandRun } from './command-run.ts';

/** The state every operation handler reads: the fleet, the clock and the commands sent so far. */
export interface SimulatorContext {
  readonly fleet: VirtualFleet;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  readonly timeoutScale: number;
  /** CommandPlugin.Name / GetCommandInvocation PluginName of every command's single step. */
  readonly pluginName: string;
  /** In the order they were sent. */
  readonly commands: CommandRun[];
  readonly commandsById: Map<string, CommandRun>;
}

export type RequestHandler = (context: SimulatorContext, body: Readonly<Record<string, unknown>>) => unknown;

/** JSON 1.1 timestamps: epoch seconds as a number. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
