import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import dynalite from 'dynalite';
import { createDynamoClients } from '../adapters/dynamodb/create-dynamo-clients.ts';
import { ensureTable } from '../adapters/dynamodb/ensure-table.ts';
import { LOCAL_TABLE_NAME } from '../shared/table-schema.ts';

export interface EmbeddedDynamoOptions {
  /** LevelDB directory, created if missing (the caller picks it, e.g. ./.fleet-compliance/dynamodb); in memory when unset. */
  readonly path?: string;
  readonly tableName?: string;
}

export interface EmbeddedDynamo {
  /** `http://127.0.0.1:<port>`: pass it to createDynamoClients({ endpoint }). */
  readonly endpoint: string;
  readonly tableName: string;
  /** True when this start created the table (first run on this path, or in memory). */
  readonly tableCreated: boolean;
  /** Wall time from the call to a ready table, ms. */
  readonly startMs: number;
  stop(): Promise<void>;
}

/**
 * Starts dynalite in this process on 127.0.0.1 and makes sure the fleet table and its attention
 * index exist (idempotent across restarts on the same path). Only loopback: the store is the
 * operator's own data and nothing else should reach it.
 */
export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const started = performance.now();
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  if (options.path !== undefined) await mkdir(options.path, { recursive: true });
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  const clients = createDynamoClients({ endpoint, maxAttempts: 3 });
  let tableCreated: boolean;
  try {
    tableCreated = (await ensureTable(clients.client, tableName)).created;
  } catch (error) {
    clients.destroy();
    await close(server);
    throw error;
  }
  clients.destroy();

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    tableName,
    tableCreated,
    startMs: performance.now() - started,
    stop: () => {
      stopped ??= close(server);
      return stopped;
    },
  };
}

/** Port 0: the OS picks a free one, so two local stores (or a test run) never collide. */
function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Closes idle keep-alive sockets first, or close would wait for clients that never hang up. */
function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
