/** A virtual fleet served by the local SSM simulator, and the real SDK clients (our factories) pointed at it. */

import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { createSsmClient } from '../../../src/adapters/ssm/create-ssm-client.ts';
import { createTaggingClient } from '../../../src/adapters/tagging/create-tagging-client.ts';
import { generateFleet } from '../../../src/local/fleet/generate-fleet.ts';
import type { FleetFaultMode, VirtualFleet } from '../../../src/local/fleet/virtual-fleet.ts';
import { type Clock, createManualClock, type ManualClock } from '../../../src/local/ssm-simulator/clock.ts';
import type { FaultPlan } from '../../../src/local/ssm-simulator/fault-plan.ts';
import {
  type SsmSimulator,
  startSsmSimulator,
} from '../../../src/local/ssm-simulator/start-ssm-simulator.ts';
import { TEST_MIX, TEST_PROFILES } from '../../local/fleet/profile-fixtures.ts';

/** Monday 6 January 2025, 12:00 UTC: "now" for manual-clock tests. */
export const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);

export interface SimulatedFleet {
  readonly fleet: VirtualFleet;
  readonly simulator: SsmSimulator;
  /** Set when the fleet runs on a manual clock (the default); undefined on the system clock. */
  readonly clock: ManualClock | undefined;
  readonly ssm: SSMClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  stop(): Promise<void>;
}

export async function startSimulatedFleet(options: {
  readonly nodes: number;
  readonly faults?: FleetFaultMode;
  readonly seed?: number;
  /** Service-side throttling; none by default (even for a chaos fleet). */
  readonly faultPlan?: FaultPlan;
  /** Default true: time moves only when the test says so. False: the system clock. */
  readonly manualClock?: boolean;
  readonly timeoutScale?: number;
  readonly maxAttempts?: number;
}): Promise<SimulatedFleet> {
  const fleet = generateFleet({
    profiles: TEST_PROFILES,
    mix: TEST_MIX,
    nodes: options.nodes,
    seed: options.seed ?? 7,
    faults: options.faults ?? 'none',
  });
  const clock = options.manualClock === false ? undefined : createManualClock(T0);
  const simulator = await startSsmSimulator({
    fleet,
    ...(clock === undefined ? {} : { clock: clock as Clock }),
    faults: options.faultPlan ?? {},
    timeoutScale: options.timeoutScale ?? 1,
  });
  const connection = {
    endpoint: simulator.endpoint,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  };
  const ssm = createSsmClient(connection);
  const tagging = createTaggingClient(connection);
  return {
    fleet,
    simulator,
    clock,
    ssm,
    tagging,
    stop: async () => {
      ssm.destroy();
      tagging.destroy();
      await simulator.stop();
    },
  };
}
