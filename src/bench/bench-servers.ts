import type { Catalog } from '../core/advisory/catalog.ts';
import { startEmbeddedDynamo } from '../local/embedded-dynamodb.ts';
import type { FleetFaultMode } from '../local/fleet/virtual-fleet.ts';
import { buildLocalFleet, LOCAL_TIMEOUT_SCALE } from '../local/local-fleet.ts';
import { connectScanDeps, type LocalEndpoints, type LocalScanCalls } from '../local/local-scan.ts';
import { startSsmSimulator } from '../local/ssm-simulator/start-ssm-simulator.ts';
import type { ScanDeps } from '../pipeline/scan-deps.ts';
import type { CountableClient } from './call-counter.ts';

/** Where a bench's servers listen (they run in a process of their own). */
export type BenchEndpoints = LocalEndpoints;

/**
 * The SSM simulator on a generated fleet and dynalite, as startLocalScanEnvironment starts them
 * (src/local/local-scan.ts), but for steps running in other processes: each step's process then
 * holds only what its Lambda would, so its CPU time and peak RSS are the step's own.
 */
export async function startBenchServers(spec: {
  readonly nodes: number;
  readonly seed: number;
  readonly faults: FleetFaultMode;
}): Promise<{ readonly endpoints: BenchEndpoints; stop(): Promise<void> }> {
  const fleet = buildLocalFleet(spec);
  const simulator = await startSsmSimulator({ fleet, timeoutScale: LOCAL_TIMEOUT_SCALE });
  const dynamo = await startEmbeddedDynamo({});
  return {
    endpoints: { ssm: simulator.endpoint, dynamodb: dynamo.endpoint, tableName: dynamo.tableName },
    stop: async () => {
      await Promise.all([simulator.stop(), dynamo.stop()]);
    },
  };
}

export interface RemoteScanDeps {
  readonly deps: ScanDeps;
  readonly clients: Readonly<Record<'ssm' | 'tagging' | 'dynamodb', CountableClient>>;
  calls(): LocalScanCalls;
  close(): void;
}

/**
 * The ScanDeps a step's Lambda builds, pointed at the bench servers: the same adapters, clients
 * and settings as startLocalScanEnvironment wires for a local scan.
 */
export function createRemoteScanDeps(endpoints: BenchEndpoints, catalog: Catalog): RemoteScanDeps {
  const connected = connectScanDeps(endpoints, catalog);
  const { ssm, tagging, dynamo } = connected.clients;
  return {
    deps: connected.deps,
    clients: { ssm, tagging, dynamodb: dynamo.client },
    calls: connected.calls,
    close: connected.destroy,
  };
}
