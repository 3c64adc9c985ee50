import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffMs } from '../../../src/adapters/dynamodb/batch-write-items.ts';
import { createDynamoClients } from '../../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { translateDynamoError } from '../../../src/adapters/dynamodb/translate-dynamo-error.ts';
import { buildNodeState, type NodeState } from '../../../src/core/store/node-state.ts';
import { StoreRequestError } from '../../../src/core/store/store-request-error.ts';
import { StoreThrottledError } from '../../../src/core/store/store-throttled-error.ts';
import { TableNotFoundError } from '../../../src/core/store/table-not-found-error.ts';
import { UnwrittenItemsError } from '../../../src/core/store/unwritten-items-error.ts';
import { makeVerdict } from '../../core/store/store-fixtures.ts';

const TABLE = 'fleet-test';
const doc = DynamoDBDocumentClient.from(createDynamoClients({ endpoint: 'http://127.0.0.1:9' }).client);
const ddb = mockClient(DynamoDBDocumentClient);

const statesOf = (count: number): NodeState[] =>
  Array.from({ length: count }, (_, i) =>
    buildNodeState(makeVerdict({ node: `i-${i}` }), {
      runId: 'r1',
      lastSeen: new Date('2025-03-01T00:00:00Z'),
    }),
  );

function requestsOf(input: BatchWriteCommandInput) {
  return input.RequestItems?.[TABLE] ?? [];
}

function serviceError(name: string): Error {
  return Object.assign(new Error(`${name} from the service`), { name, $fault: 'client', $metadata: {} });
}

describe('DynamoFleetStore against a mocked DynamoDB', () => {
  let sleeps: number[];
  let store: DynamoFleetStore;

  beforeEach(() => {
    ddb.reset();
    sleeps = [];
    store = new DynamoFleetStore({
      doc,
      tableName: TABLE,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    });
  });
  afterEach(() => ddb.reset());

  it('re-sends UnprocessedItems until every item is written', async () => {
    // Each batch's first call leaves its last 5 items unprocessed; the retry writes them.
    const seen = new Set<string>();
    ddb.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
      const requests = requestsOf(input);
      const ids = requests.map((r) => String(r.PutRequest?.Item?.pk));
      const isRetry = ids.some((id) => seen.has(id));
      for (const id of ids) seen.add(id);
      return { UnprocessedItems: isRetry ? {} : { [TABLE]: requests.slice(-5) } };
    });

    const summary = await store.putNodeStates(statesOf(60));

    expect(summary).toMatchObject({ written: 60, batches: 3, retries: 3 });
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 6);
    const sizes = ddb.commandCalls(BatchWriteCommand).map((call) => requestsOf(call.args[0].input).length);
    expect(sizes.sort((a, b) => a - b)).toEqual([5, 5, 5, 10, 25, 25]);
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, { ReturnConsumedCapacity: 'TOTAL' });
    expect(store.stats.snapshot().unprocessedRetries).toBe(3);
  });

  it('gives up after the attempt bound and names every key it could not write', async () => {
    ddb.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
      const requests = requestsOf(input);
      // The node i-3 is never accepted; everything else is.
      return { UnprocessedItems: { [TABLE]: requests.filter((r) => r.PutRequest?.Item?.pk === 'NODE#i-3') } };
    });
    store = new DynamoFleetStore({
      doc,
      tableName: TABLE,
      maxBatchAttempts: 4,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0,
    });

    const error = await store.putNodeStates(statesOf(30)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UnwrittenItemsError);
    const unwritten = error as UnwrittenItemsError;
    expect(unwritten.code).toBe('store.unwritten-items');
    expect(unwritten.keys).toEqual([{ pk: 'NODE#i-3', sk: expect.stringMatching(/^STATE#[0-9a-f]{16}$/) }]);
    expect(unwritten.nodes).toEqual(['i-3']);
    expect(unwritten.message).toContain('1 of 30 items were not written');
    // Batch one: 1 + 3 retries; batch two: 1 call.
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 5);
    // Exponential: 25, 50, 100 ms with random() = 0 (equal jitter keeps half of each step).
    expect(sleeps).toEqual([25, 50, 100]);
  });

  it('reports the whole batch unwritten when its call fails outright, with the domain cause', async () => {
    ddb.on(BatchWriteCommand).rejects(serviceError('ThrottlingException'));
    const error = (await store.putNodeStates(statesOf(3)).catch((e: unknown) => e)) as UnwrittenItemsError;
    expect(error).toBeInstanceOf(UnwrittenItemsError);
    expect(error.keys.map((k) => k.pk)).toEqual(['NODE#i-0', 'NODE#i-1', 'NODE#i-2']);
    expect(error.cause).toBeInstanceOf(StoreThrottledError);
    expect((error.cause as StoreThrottledError).cause).toMatchObject({ name: 'ThrottlingException' });
  });

  it('collapses duplicate keys so no batch carries a key twice (the last one given wins)', async () => {
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    const [first] = statesOf(1);
    const again = { ...first!, lastSeen: '2025-03-01T01:00:00.000Z' };
    const summary = await store.putNodeStates([first!, ...statesOf(30).slice(1), again]);
    expect(summary).toMatchObject({ written: 30, duplicatesDropped: 1, batches: 2 });
    const puts = ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => requestsOf(call.args[0].input).map((r) => r.PutRequest?.Item));
    expect(puts.filter((item) => item?.pk === 'NODE#i-0')).toEqual([
      expect.objectContaining({ lastSeen: '2025-03-01T01:00:00.000Z' }),
    ]);
  });

  it('keeps at most four batches in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    ddb.on(BatchWriteCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { UnprocessedItems: {} };
    });
    await store.putNodeStates(statesOf(250));
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 10);
    expect(peak).toBe(4);
  });

  it('turns a ThrottlingException that outlived the SDK retries into StoreThrottledError', async () => {
    ddb.on(QueryCommand).rejects(serviceError('ThrottlingException'));
    const error = await store.listAttention({ runIds: ['r1'], now: new Date() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreThrottledError);
    expect(error).toMatchObject({ code: 'store.throttled', operation: 'Query' });
    expect((error as Error).cause).toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('translateDynamoError', () => {
  it.for([
    ['ProvisionedThroughputExceededException', StoreThrottledError],
    ['RequestLimitExceeded', StoreThrottledError],
    ['ResourceNotFoundException', TableNotFoundError],
    ['ValidationException', StoreRequestError],
  ] as const)('maps %s to a domain error that keeps the cause', ([name, type]) => {
    const cause = serviceError(name);
    const translated = translateDynamoError(cause, 'Query', TABLE);
    expect(translated).toBeInstanceOf(type);
    expect(translated.cause).toBe(cause);
  });

  it('names the service error code, and none for a socket failure', () => {
    expect(translateDynamoError(serviceError('ValidationException'), 'PutItem', TABLE)).toMatchObject({
      awsCode: 'ValidationException',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const translated = translateDynamoError(refused, 'PutItem', TABLE);
    expect(translated).toMatchObject({
      awsCode: undefined,
      message: 'PutItem failed: connect ECONNREFUSED 127.0.0.1:9',
    });
  });
});

describe('backoffMs', () => {
  it('doubles each attempt up to the cap, with jitter only ever adding up to half a step', () => {
    const settings = { baseDelayMs: 50, maxDelayMs: 3000 };
    const low = [1, 2, 3, 4, 8, 12].map((a) => backoffMs(a, { ...settings, random: () => 0 }));
    const high = [1, 2, 3, 4, 8, 12].map((a) => backoffMs(a, { ...settings, random: () => 0.999999 }));
    expect(low).toEqual([25, 50, 100, 200, 1500, 1500]);
    high.forEach((h, i) => {
      expect(h).toBeGreaterThan(low[i]!);
      expect(h).toBeLessThan(low[i]! * 2);
    });
  });
});
