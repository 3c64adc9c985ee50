import { SSMClient } from '@aws-sdk/client-ssm';
import { generateFleet } from '../../../src/local/fleet/generate-fleet.ts';
import type { FleetFaultMode, VirtualFleet } from '../../../src/local/fleet/virtual-fleet.ts';
import { createManualClock, type ManualClock } from '../../../src/local/ssm-simulator/clock.ts';
import type { FaultPlan } from '../../../src/local/ssm-simulator/fault-plan.ts';
import {
  type SsmSimulator,
  startSsmSimulator,
} from '../../../src/local/ssm-simulator/start-ssm-simulator.ts';
import { TEST_MIX, TEST_PROFILES } from '../fleet/profile-fixtures.ts';

/** Monday 6 January 2025, 12:00 UTC: a fixed "now" for manual-clock tests. */
export const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);

export interface Harness {
  readonly fleet: VirtualFleet;
  readonly simulator: SsmSimulator;
  readonly clock: ManualClock;
  readonly ssm: SSMClient;
  stop(): Promise<void>;
}

/**
 * A virtual fleet served by the simulator on a manual clock, and the real SSM client pointed at
 * it. No throttling unless `faultPlan` asks for it.
 */
export async function startHarness(options: {
  nodes: number;
  faults?: FleetFaultMode;
  seed?: number;
  faultPlan?: FaultPlan;
  timeoutScale?: number;
  client?: { retryMode?: string; maxAttempts?: number };
}): Promise<Harness> {
  const fleet = generateFleet({
    profiles: TEST_PROFILES,
    mix: TEST_MIX,
    nodes: options.nodes,
    seed: options.seed ?? 42,
    faults: options.faults ?? 'none',
  });
  const clock = createManualClock(T0);
  const simulator = await startSsmSimulator({
    fleet,
    clock,
    faults: options.faultPlan ?? {},
    timeoutScale: options.timeoutScale ?? 1,
  });
  const ssm = new SSMClient({
    endpoint: simulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    ...options.client,
  });
  return {
    fleet,
    simulator,
    clock,
    ssm,
    stop: async () => {
      ssm.destroy();
      await simulator.stop();
    },
  };
}

/** A raw JSON 1.1 POST, for what no installed SDK client covers (the Tagging API). */
export async function postJson(
  endpoint: string,
  target: string,
  body: unknown,
  headers: Record<string, string> = {
    authorization: 'AWS4-HMAC-SHA256 Credential=x/20250106/us-east-1/tagging/aws4_request',
  },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
