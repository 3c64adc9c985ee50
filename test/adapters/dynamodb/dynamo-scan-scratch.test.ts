import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDynamoClients,
  type DynamoClients,
} from '../../../src/adapters/dynamodb/create-dynamo-clients.ts';
import {
  DynamoScanScratch,
  type DynamoScanScratchOptions,
  packChunks,
  SCRATCH_TTL_DAYS,
} from '../../../src/adapters/dynamodb/dynamo-scan-scratch.ts';
import { StoredItemInvalidError } from '../../../src/core/store/stored-item-invalid-error.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../src/local/embedded-dynamodb.ts';
import type { TargetNode } from '../../../src/pipeline/ports.ts';

const NOW = new Date('2025-03-01T12:00:00Z');

function nodes(count: number, salt = ''): TargetNode[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `i-${(i + 1).toString(16).padStart(17, '0')}`,
    tags: { Name: `prod-eu-1-general-node${salt}`, cluster: 'prod-eu-1', az: `eu-west-1${'abc'[i % 3]}` },
  }));
}

describe('DynamoScanScratch on dynalite', () => {
  let server: EmbeddedDynamo;
  let clients: DynamoClients;
  const scratchWith = (options: Partial<DynamoScanScratchOptions> = {}) =>
    new DynamoScanScratch({ doc: clients.doc, tableName: server.tableName, now: () => NOW, ...options });

  beforeAll(async () => {
    server = await startEmbeddedDynamo();
    clients = createDynamoClients({ endpoint: server.endpoint });
  });
  afterAll(async () => {
    clients.destroy();
    await server.stop();
  });

  async function itemsOf(runId: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await clients.doc.send(
        new QueryCommand({
          TableName: server.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `SCRATCH#${runId}` },
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      out.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return out;
  }

  it('keeps 20,000 nodes with their tags in a handful of items under 300 KB, and reads them back in order', async () => {
    const scratch = scratchWith();
    const targets = nodes(20_000);

    await scratch.saveTargets('run-big', targets);

    const items = await itemsOf('run-big');
    const chunks = items.filter((i) => String(i.sk).startsWith('TARGETS#'));
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    expect(chunks.length).toBeLessThanOrEqual(10);
    for (const chunk of chunks) expect(Buffer.byteLength(String(chunk.data))).toBeLessThanOrEqual(300_000);
    expect(items.map((i) => i.sk)).toContain('TARGETS');
    expect(items.every((i) => i.ttl === NOW.getTime() / 1000 + SCRATCH_TTL_DAYS * 86_400)).toBe(true);

    scratch.stats.reset();
    const loaded = await scratch.loadTargets('run-big');
    expect(loaded).toEqual(targets);
    // One Query, paginated by DynamoDB's 1 MB pages.
    expect(scratch.stats.snapshot().calls.Query).toBeLessThanOrEqual(3);
  });

  it('reads back only the latest save when a re-run writes fewer chunks', async () => {
    const scratch = scratchWith({ maxChunkBytes: 2000 });
    await scratch.saveTargets('run-shrink', nodes(300, '-old'));
    const before = (await itemsOf('run-shrink')).length;

    const fewer = nodes(40, '-new');
    await scratch.saveTargets('run-shrink', fewer);

    expect((await itemsOf('run-shrink')).length).toBe(before);
    await expect(scratch.loadTargets('run-shrink')).resolves.toEqual(fewer);
    await scratch.saveTargets('run-shrink', []);
    await expect(scratch.loadTargets('run-shrink')).resolves.toEqual([]);
  });

  it('refuses to assemble chunks of two saves (a save that stopped before its header)', async () => {
    let generation = 0;
    const scratch = scratchWith({ maxChunkBytes: 2000, newGeneration: () => `g${++generation}` });
    await scratch.saveTargets('run-torn', nodes(100));
    // The second save wrote its first chunk, then died before the rest and the header.
    await clients.doc.send(
      new PutCommand({
        TableName: server.tableName,
        Item: { pk: 'SCRATCH#run-torn', sk: 'TARGETS#0000', generation: 'g2', data: '[]', ttl: 1e10 },
      }),
    );
    const error = await scratch.loadTargets('run-torn').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredItemInvalidError);
    expect(String(error)).toMatch(/chunk 0 belongs to another save/);
    // The retried save heals it.
    await scratch.saveTargets('run-torn', nodes(100));
    await expect(scratch.loadTargets('run-torn')).resolves.toHaveLength(100);
  });

  it('says so when a run has no saved targets', async () => {
    await expect(scratchWith().loadTargets('run-never')).rejects.toThrow(/header is missing/);
  });

  it('reads expired scratch as gone', async () => {
    await scratchWith().saveTargets('run-expired', nodes(3));
    const later = new Date(NOW.getTime() + (SCRATCH_TTL_DAYS + 1) * 86_400_000);
    await expect(scratchWith({ now: () => later }).loadTargets('run-expired')).rejects.toThrow(/missing/);
  });

  it('keeps the ids of each collect pass; a retried pass overwrites its own part only', async () => {
    const scratch = scratchWith({ maxChunkBytes: 500 });
    const ids = nodes(120).map((n) => n.id);
    await scratch.saveSeen('run-seen', '0', ids.slice(0, 50));
    await scratch.saveSeen('run-seen', '1', ids.slice(50, 70));
    await scratch.saveSeen('run-seen', '1', ids.slice(50, 100));
    await scratch.saveSeen('run-seen', '2', []);
    await scratch.saveSeen('run-seen', '10', ids.slice(100));

    const seen = await scratch.loadSeen('run-seen');
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(seen.length);
    await expect(scratch.loadSeen('run-none')).resolves.toEqual([]);
    // A retried pass reads what the other passes saw, not its own earlier attempt.
    const others = await scratch.loadSeen('run-seen', { exceptPart: '1' });
    expect([...others].sort()).toEqual([...ids.slice(0, 50), ...ids.slice(100)].sort());
    await expect(scratch.loadSeen('run-seen', { exceptPart: '7' })).resolves.toHaveLength(120);
    await expect(scratch.saveSeen('run-seen', 'a#b', [])).rejects.toThrow(TypeError);
    // Targets and seen ids of one run do not see each other.
    await scratch.saveTargets('run-seen', nodes(2));
    await expect(scratch.loadTargets('run-seen')).resolves.toHaveLength(2);
    await expect(scratch.loadSeen('run-seen')).resolves.toHaveLength(120);
  });

  it('shares counters with the store', async () => {
    const scratch = scratchWith();
    scratch.stats.reset();
    await scratch.saveTargets('run-stats', nodes(10));
    expect(scratch.stats.snapshot().calls).toEqual({ BatchWriteItem: 1, PutItem: 1 });
  });
});

describe('packChunks', () => {
  it('packs entries greedily into JSON arrays within the byte budget, in order', () => {
    const entries = ['"aaaa"', '"bbbb"', '"cccc"', '"dddd"', '"é"'];
    const chunks = packChunks(entries, 15, 'k');
    expect(chunks).toEqual(['["aaaa","bbbb"]', '["cccc","dddd"]', '["é"]']);
    expect(chunks.flatMap((c) => JSON.parse(c))).toEqual(['aaaa', 'bbbb', 'cccc', 'dddd', 'é']);
    expect(packChunks([], 15, 'k')).toEqual([]);
    // An entry over the budget gets a chunk of its own rather than being dropped.
    expect(packChunks(['"long entry"', '"x"'], 5, 'k')).toEqual(['["long entry"]', '["x"]']);
  });
});
