import { join, resolve } from 'node:path';
import { createDynamoClients } from '../adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../adapters/dynamodb/dynamo-fleet-store.ts';
import type { FleetStore } from '../core/store/fleet-store.ts';
import { startEmbeddedDynamo } from './embedded-dynamodb.ts';

export { DEFAULT_DATA_DIR } from './data-dir.ts';

/** Credentials for the local servers: the SDK signs every request, the servers do not check. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

/** The embedded store of local mode, opened on the data directory. */
export interface LocalStore {
  readonly store: FleetStore;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  close(): Promise<void>;
}

/** Opens (creating if needed) the embedded DynamoDB under `<dataDir>/dynamodb`. */
export async function openLocalStore(dataDir: string): Promise<LocalStore> {
  const dir = resolve(dataDir);
  const dynamo = await startEmbeddedDynamo({ path: join(dir, 'dynamodb') });
  const clients = createDynamoClients({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const store = new DynamoFleetStore({ doc: clients.doc, tableName: dynamo.tableName });
  return {
    store,
    dynamoEndpoint: dynamo.endpoint,
    tableName: dynamo.tableName,
    close: async () => {
      clients.destroy();
      await dynamo.stop();
    },
  };
}
