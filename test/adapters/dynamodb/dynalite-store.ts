/** A fresh in-memory dynalite with the fleet table, and a store on it, for one test file or group. */
import {
  createDynamoClients,
  type DynamoClients,
} from '../../../src/adapters/dynamodb/create-dynamo-clients.ts';
import {
  DynamoFleetStore,
  type DynamoFleetStoreOptions,
} from '../../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../src/local/embedded-dynamodb.ts';

export interface DynaliteStore {
  readonly server: EmbeddedDynamo;
  readonly clients: DynamoClients;
  readonly store: DynamoFleetStore;
  close(): Promise<void>;
}

export async function startDynaliteStore(
  options: Partial<Omit<DynamoFleetStoreOptions, 'doc' | 'tableName'>> = {},
): Promise<DynaliteStore> {
  const server = await startEmbeddedDynamo();
  const clients = createDynamoClients({ endpoint: server.endpoint });
  const store = new DynamoFleetStore({
    doc: clients.doc,
    tableName: server.tableName,
    sleep: async () => {},
    ...options,
  });
  return {
    server,
    clients,
    store,
    close: async () => {
      clients.destroy();
      await server.stop();
    },
  };
}
