import { createDynamoClients } from '../adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../adapters/dynamodb/dynamo-fleet-store.ts';
import { DynamoScanScratch } from '../adapters/dynamodb/dynamo-scan-scratch.ts';
import { createSsmClient } from '../adapters/ssm/create-ssm-client.ts';
import { SsmFleetCommands } from '../adapters/ssm/ssm-fleet-commands.ts';
import { createTaggingClient } from '../adapters/tagging/create-tagging-client.ts';
import { TagTargetDirectory } from '../adapters/tagging/tag-target-directory.ts';
import type { Catalog } from '../core/advisory/catalog.ts';
import { DEFAULT_SCAN_SETTINGS, parseTargetSpec } from '../core/scan/scan-settings.ts';
import { startEmbeddedDynamo } from '../local/embedded-dynamodb.ts';
import type { FleetFaultMode } from '../local/fleet/virtual-fleet.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/local-environment.ts';
import { buildLocalFleet, LOCAL_TIMEOUT_SCALE } from '../local/local-fleet.ts';
import { LOCAL_DOCUMENT_NAME, LOCAL_TARGETS, type LocalScanCalls } from '../local/local-scan.ts';
import { startSsmSimulator } from '../local/ssm-simulator/start-ssm-simulator.ts';
import type { ScanDeps } from '../pipeline/scan-deps.ts';
import type { CountableClient } from './call-counter.ts';

/** Where a bench's servers listen (they run in a process of their own). */
export interface BenchEndpoints {
  readonly ssm: string;
  readonly dynamodb: string;
  readonly tableName: string;
}

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
  const local = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = createDynamoClients({ ...local, endpoint: endpoints.dynamodb });
  const ssm = createSsmClient({ ...local, endpoint: endpoints.ssm });
  const tagging = createTaggingClient({ ...local, endpoint: endpoints.ssm });
  const store = new DynamoFleetStore({ doc: dynamo.doc, tableName: endpoints.tableName });
  const fleet = new SsmFleetCommands({ client: ssm });
  const directory = new TagTargetDirectory({ client: tagging });
  const deps: ScanDeps = {
    store,
    fleet,
    directory,
    scratch: new DynamoScanScratch({ doc: dynamo.doc, tableName: endpoints.tableName, stats: store.stats }),
    clock: { now: () => new Date() },
    catalog,
    // startLocalScanEnvironment's settings for a local scan.
    settings: {
      ...DEFAULT_SCAN_SETTINGS,
      documentName: LOCAL_DOCUMENT_NAME,
      targets: parseTargetSpec(LOCAL_TARGETS),
      deadlineSeconds: 120,
    },
  };
  return {
    deps,
    clients: { ssm, tagging, dynamodb: dynamo.client },
    calls: () => ({
      ssm: fleet.stats.snapshot(),
      tagging: directory.stats.snapshot(),
      dynamodb: store.stats.snapshot(),
    }),
    close: () => {
      ssm.destroy();
      tagging.destroy();
      dynamo.destroy();
    },
  };
}
