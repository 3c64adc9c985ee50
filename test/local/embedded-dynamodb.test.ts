import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { buildNodeState } from '../../src/core/store/node-state.ts';
import { startEmbeddedDynamo } from '../../src/local/embedded-dynamodb.ts';
import { ATTENTION_INDEX_NAME } from '../../src/shared/table-schema.ts';
import { makeVerdict } from '../core/store/store-fixtures.ts';

const SEEN = new Date('2025-03-01T00:00:00.000Z');

describe('startEmbeddedDynamo', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-dynamo-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves the fleet table and its attention index on loopback, in memory', async () => {
    const embedded = await startEmbeddedDynamo();
    try {
      expect(embedded.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(embedded.tableCreated).toBe(true);
      const clients = createDynamoClients({ endpoint: embedded.endpoint });
      const described = await clients.client.send(
        new DescribeTableCommand({ TableName: embedded.tableName }),
      );
      clients.destroy();
      expect(described.Table?.TableStatus).toBe('ACTIVE');
      expect(described.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(
        described.Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType]),
      ).toEqual([[ATTENTION_INDEX_NAME, 'ALL']]);
    } finally {
      await embedded.stop();
    }
  });

  it('keeps the data on disk across a stop and a start, and does not recreate the table', async () => {
    const path = join(dir, 'nested', 'dynamodb');
    const memory = await startEmbeddedDynamo();
    await memory.stop();
    const first = await startEmbeddedDynamo({ path });
    expect(first.tableCreated).toBe(true);
    let clients = createDynamoClients({ endpoint: first.endpoint });
    let store = new DynamoFleetStore({ doc: clients.doc, tableName: first.tableName });
    await store.putNodeStates([
      buildNodeState(makeVerdict({ node: 'i-kept' }), { runId: 'r1', lastSeen: SEEN }),
    ]);
    clients.destroy();
    await first.stop();
    await first.stop(); // idempotent

    const second = await startEmbeddedDynamo({ path });
    try {
      expect(second.tableCreated).toBe(false);
      clients = createDynamoClients({ endpoint: second.endpoint });
      store = new DynamoFleetStore({ doc: clients.doc, tableName: second.tableName });
      expect((await store.getNodeState('i-kept', SEEN))?.status).toBe('AT_RISK');
      expect(await store.listAttention({ runIds: ['r1'], now: SEEN })).toHaveLength(1);
      clients.destroy();
      // Start-up figures for the report: the first start created the table, the second found it.
      console.info(
        `embedded dynalite start: in memory ${memory.startMs.toFixed(0)} ms; on disk, new table ` +
          `${first.startMs.toFixed(0)} ms; on disk, existing table ${second.startMs.toFixed(0)} ms`,
      );
      expect(second.startMs).toBeLessThan(5_000);
    } finally {
      await second.stop();
    }
  });
});
