import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../core/errors.ts';
import { generateFleet } from './fleet/generate-fleet.ts';
import { loadProfiles, PROFILES_DIR } from './fleet/load-profiles.ts';
import { FAULT_MODES, type FleetFaultMode, type VirtualFleet } from './fleet/virtual-fleet.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-environment.ts';
import { startSsmSimulator } from './ssm-simulator/start-ssm-simulator.ts';

/** Recorded probe outputs (one per distro profile) the simulated nodes answer with. */
export { PROFILES_DIR };

/** What defines a simulated fleet; saved in the data dir so later commands see the same fleet. */
export interface LocalFleetSpec {
  readonly nodes: number;
  readonly seed: number;
  readonly faults: FleetFaultMode;
}

export { FAULT_MODES };

/**
 * Timeouts of the simulated SSM run this much faster than AWS's (a 600 s delivery timeout
 * becomes 0.6 s), so offline and timed-out nodes settle within a local scan.
 */
export const LOCAL_TIMEOUT_SCALE = 0.001;

const SPEC_FILE = 'fleet.json';

export class LocalFleetError extends AppError {
  override name = 'LocalFleetError';
  constructor(message: string, options?: ErrorOptions) {
    super('local.fleet', message, options);
  }
}

export function buildLocalFleet(spec: LocalFleetSpec): VirtualFleet {
  return generateFleet({ profiles: loadProfiles(PROFILES_DIR), nodes: spec.nodes, seed: spec.seed, faults: spec.faults });
}

export function saveFleetSpec(dataDir: string, spec: LocalFleetSpec): void {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, SPEC_FILE), `${JSON.stringify(spec, null, 2)}\n`);
}

export function readFleetSpec(dataDir: string): LocalFleetSpec | undefined {
  let text: string;
  try {
    text = readFileSync(join(resolve(dataDir), SPEC_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const spec = JSON.parse(text) as LocalFleetSpec;
    if (!Number.isInteger(spec.nodes) || !Number.isInteger(spec.seed) || !FAULT_MODES.includes(spec.faults)) {
      throw new Error('unexpected shape');
    }
    return spec;
  } catch (error) {
    throw new LocalFleetError(`${join(dataDir, SPEC_FILE)} is damaged; run scan --local again`, { cause: error });
  }
}

export interface LocalFleetServer {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly fleet: VirtualFleet;
  stop(): Promise<void>;
}

/** Starts the SSM simulator on a fleet (the simulator also answers the tagging API). */
async function serveFleet(fleet: VirtualFleet): Promise<LocalFleetServer> {
  const simulator = await startSsmSimulator({ fleet, timeoutScale: LOCAL_TIMEOUT_SCALE });
  return {
    endpoint: simulator.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    fleet,
    stop: () => simulator.stop(),
  };
}

/** The simulator on the fleet of the last local scan, or undefined when no scan has run here. */
export async function startLocalFleet(dataDir: string): Promise<LocalFleetServer | undefined> {
  const spec = readFleetSpec(dataDir);
  return spec ? serveFleet(buildLocalFleet(spec)) : undefined;
}
