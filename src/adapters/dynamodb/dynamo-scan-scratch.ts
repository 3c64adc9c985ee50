import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type StoredMap, utf8ByteLength } from '../../core/store/item-size.ts';
import { StoredItemInvalidError } from '../../core/store/stored-item-invalid-error.ts';
import type { ScanScratch, TargetNode } from '../../pipeline/ports.ts';
import { TABLE_PARTITION_KEY, TABLE_SORT_KEY, TABLE_TTL_ATTRIBUTE } from '../../shared/table-schema.ts';
import { batchWriteItems } from './batch-write-items.ts';
import { sendCounted } from './send-counted.ts';
import { type Capacity, StoreStats } from './store-stats.ts';

/** Scratch outlives any run (a scan gives up after its deadline, hours at most) and then expires. */
export const SCRATCH_TTL_DAYS = 3;
/**
 * The node list of one chunk item, in UTF-8 bytes. DynamoDB items stop at 400 KB; 300 KB leaves
 * room for keys and attributes, and a 100-byte node (id and three tags) makes ~3,000 nodes a chunk:
 * 10,000 nodes cost 4 items, 100,000 about 35.
 */
export const DEFAULT_MAX_CHUNK_BYTES = 300_000;
/** A single entry larger than this cannot be stored at all (it would not fit one item). */
const MAX_ENTRY_BYTES = 380_000;
const TARGETS = 'TARGETS';
const SEEN = 'SEEN';
/** A `part` is a collect pass number; it becomes part of a sort key, so it stays plain. */
const PART = /^[A-Za-z0-9_-]{1,64}$/;
/** `TARGETS`, `TARGETS#0003`, `SEEN#2`, `SEEN#2#0000`. */
const SORT_KEY = /^(TARGETS|SEEN#[A-Za-z0-9_-]{1,64})(?:#(\d{4,}))?$/;

export interface DynamoScanScratchOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Counters shared with the store (a benchmark reads one set); a fresh one by default. */
  readonly stats?: StoreStats;
  /** Default 300,000 (tests lower it to get many chunks from few nodes). */
  readonly maxChunkBytes?: number;
  /** Default: the system clock (only the ttl depends on it). */
  readonly now?: () => Date;
  /** Default: a random UUID per save. */
  readonly newGeneration?: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

interface Chunk {
  readonly index: number;
  readonly generation: string;
  readonly data: string;
}

interface Header {
  readonly generation: string;
  readonly chunks: number;
  readonly entries: number;
}

interface Group {
  header?: Header;
  readonly chunks: Chunk[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * ScanScratch on the fleet table. One partition per run (`SCRATCH#<runId>`); each list is a
 * header item (`TARGETS`, `SEEN#<part>`) plus chunk items (`…#0000`, `…#0001`…) holding the
 * entries as compact JSON in one string attribute.
 *
 * A save writes new chunks under a fresh generation first and the header naming that generation
 * and the chunk count last, so a reader only ever assembles one complete save: chunks of an
 * earlier, longer save (beyond the new count, or under the old generation) are never read, and a
 * save that crashed half-way leaves the previous header, whose chunks it may have overwritten,
 * detected as a generation mismatch rather than read as a mix. Stale chunks are left to the ttl.
 */
export class DynamoScanScratch implements ScanScratch {
  readonly stats: StoreStats;
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly options: DynamoScanScratchOptions;

  constructor(options: DynamoScanScratchOptions) {
    this.doc = options.doc;
    this.tableName = options.tableName;
    this.stats = options.stats ?? new StoreStats();
    this.options = options;
  }

  async saveTargets(runId: string, nodes: readonly TargetNode[]): Promise<void> {
    await this.save(
      runId,
      TARGETS,
      nodes.map((n) => JSON.stringify([n.id, n.tags])),
    );
  }

  async loadTargets(runId: string): Promise<TargetNode[]> {
    const groups = await this.query(runId, TARGETS);
    const group = groups.get(TARGETS);
    if (group?.header === undefined) {
      throw new StoredItemInvalidError(
        `${scratchPartitionKey(runId)}/${TARGETS}`,
        'header',
        "is missing: the run's targets were never saved, or have expired",
      );
    }
    return this.assemble(runId, TARGETS, group).map((entry, i) => toTargetNode(entry, runId, i));
  }

  async saveSeen(runId: string, part: string, ids: readonly string[]): Promise<void> {
    if (!PART.test(part)) throw new TypeError(`scratch part must match ${PART.source}: ${part}`);
    await this.save(
      runId,
      `${SEEN}#${part}`,
      ids.map((id) => JSON.stringify(id)),
    );
  }

  async loadSeen(runId: string, options: { readonly exceptPart?: string } = {}): Promise<string[]> {
    const groups = await this.query(runId, `${SEEN}#`);
    const skipped = options.exceptPart === undefined ? undefined : `${SEEN}#${options.exceptPart}`;
    const ids: string[] = [];
    for (const [prefix, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      // Chunks without a header are a save that never finished: not part of any pass yet.
      if (group.header === undefined || prefix === skipped) continue;
      for (const [i, entry] of this.assemble(runId, prefix, group).entries()) {
        if (typeof entry !== 'string') {
          throw new StoredItemInvalidError(
            `${scratchPartitionKey(runId)}/${prefix}`,
            `entry ${i}`,
            'is not a node id',
          );
        }
        ids.push(entry);
      }
    }
    return ids;
  }

  private async save(runId: string, prefix: string, entries: readonly string[]): Promise<void> {
    const pk = scratchPartitionKey(runId);
    const generation = (this.options.newGeneration ?? randomUUID)();
    const ttl = Math.floor((this.now().getTime() + SCRATCH_TTL_DAYS * 86_400_000) / 1000);
    const chunks = packChunks(
      entries,
      this.options.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES,
      `${pk}/${prefix}`,
    );
    const items: StoredMap[] = chunks.map((data, index) => ({
      [TABLE_PARTITION_KEY]: pk,
      [TABLE_SORT_KEY]: chunkSortKey(prefix, index),
      generation,
      data,
      [TABLE_TTL_ATTRIBUTE]: ttl,
    }));
    if (items.length > 0) {
      await batchWriteItems(items, {
        tableName: this.tableName,
        send: (input) =>
          this.call('BatchWriteItem', () =>
            this.doc.send(new BatchWriteCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' })),
          ),
        // One partition: a couple of batches in flight is all it takes (and all it should take).
        concurrency: 2,
        maxAttempts: 8,
        baseDelayMs: 50,
        maxDelayMs: 3000,
        sleep: this.options.sleep ?? defaultSleep,
        random: this.options.random ?? Math.random,
        onRetry: () => this.stats.recordRetry(),
      });
    }
    await this.call('PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [TABLE_PARTITION_KEY]: pk,
            [TABLE_SORT_KEY]: prefix,
            generation,
            chunks: chunks.length,
            entries: entries.length,
            [TABLE_TTL_ATTRIBUTE]: ttl,
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  }

  /** One Query (paginated, strongly consistent: dispatch writes, the next step reads at once). */
  private async query(runId: string, skPrefix: string): Promise<Map<string, Group>> {
    const pk = scratchPartitionKey(runId);
    const nowSeconds = this.now().getTime() / 1000;
    const groups = new Map<string, Group>();
    const groupOf = (prefix: string): Group => {
      let group = groups.get(prefix);
      if (group === undefined) {
        group = { chunks: [] };
        groups.set(prefix, group);
      }
      return group;
    };
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call('Query', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ExpressionAttributeNames: { '#pk': TABLE_PARTITION_KEY, '#sk': TABLE_SORT_KEY },
            ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
            ConsistentRead: true,
            ReturnConsumedCapacity: 'TOTAL',
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const sk = String(item[TABLE_SORT_KEY]);
        const match = SORT_KEY.exec(sk);
        if (match === null) continue;
        // The ttl deletes late (up to days): an expired item reads as gone.
        const ttl = item[TABLE_TTL_ATTRIBUTE];
        if (typeof ttl === 'number' && ttl <= nowSeconds) continue;
        const group = groupOf(match[1]!);
        const generation = item.generation;
        if (typeof generation !== 'string') {
          throw new StoredItemInvalidError(`${pk}/${sk}`, 'generation', 'is not a string');
        }
        if (match[2] === undefined) {
          const chunks = item.chunks;
          const entries = item.entries;
          if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks < 0) {
            throw new StoredItemInvalidError(`${pk}/${sk}`, 'chunks', 'is not a chunk count');
          }
          group.header = { generation, chunks, entries: typeof entries === 'number' ? entries : -1 };
        } else {
          const data = item.data;
          if (typeof data !== 'string')
            throw new StoredItemInvalidError(`${pk}/${sk}`, 'data', 'is not a string');
          group.chunks.push({ index: Number(match[2]), generation, data });
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return groups;
  }

  /** The entries of the save the header names, in order; any gap or foreign chunk is an error. */
  private assemble(runId: string, prefix: string, group: Group): unknown[] {
    const header = group.header!;
    const key = `${scratchPartitionKey(runId)}/${prefix}`;
    const byIndex = new Map<number, Chunk>();
    for (const chunk of group.chunks) if (chunk.index < header.chunks) byIndex.set(chunk.index, chunk);
    const entries: unknown[] = [];
    for (let index = 0; index < header.chunks; index += 1) {
      const chunk = byIndex.get(index);
      if (chunk === undefined) throw new StoredItemInvalidError(key, `chunk ${index}`, 'is missing');
      if (chunk.generation !== header.generation) {
        throw new StoredItemInvalidError(
          key,
          `chunk ${index}`,
          'belongs to another save than the header (a save was interrupted; save again)',
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(chunk.data);
      } catch {
        throw new StoredItemInvalidError(key, `chunk ${index}`, 'is not valid JSON');
      }
      if (!Array.isArray(parsed))
        throw new StoredItemInvalidError(key, `chunk ${index}`, 'is not a JSON array');
      for (const entry of parsed) entries.push(entry);
    }
    if (header.entries >= 0 && entries.length !== header.entries) {
      throw new StoredItemInvalidError(
        key,
        'entries',
        `counts ${header.entries} but the chunks hold ${entries.length}`,
      );
    }
    return entries;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Every request goes through here: counted, consumed capacity added up, errors made domain errors. */
  private call<T extends { ConsumedCapacity?: Capacity | Capacity[] | undefined }>(
    operation: string,
    send: () => Promise<T>,
  ): Promise<T> {
    return sendCounted(this.stats, this.tableName, operation, send);
  }
}

export function scratchPartitionKey(runId: string): string {
  return `SCRATCH#${runId}`;
}

function chunkSortKey(prefix: string, index: number): string {
  return `${prefix}#${String(index).padStart(4, '0')}`;
}

/**
 * Greedy packing of JSON entries into arrays of at most `maxBytes` UTF-8 bytes each, in order.
 * Zero entries make zero chunks (the header alone says "an empty list").
 */
export function packChunks(entries: readonly string[], maxBytes: number, key: string): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const entry of entries) {
    const size = utf8ByteLength(entry);
    if (size > MAX_ENTRY_BYTES)
      throw new StoredItemInvalidError(key, 'entry', `is ${size} bytes, over one item`);
    if (current.length > 0 && bytes + 1 + size > maxBytes) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      bytes = 2;
    }
    bytes += (current.length > 0 ? 1 : 0) + size;
    current.push(entry);
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}

function toTargetNode(entry: unknown, runId: string, index: number): TargetNode {
  if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string') {
    const tags = entry[1];
    if (typeof tags === 'object' && tags !== null && !Array.isArray(tags)) {
      const clean: Record<string, string> = {};
      for (const [k, v] of Object.entries(tags as Record<string, unknown>))
        if (typeof v === 'string') clean[k] = v;
      return { id: entry[0], tags: clean };
    }
  }
  throw new StoredItemInvalidError(
    `${scratchPartitionKey(runId)}/${TARGETS}`,
    `entry ${index}`,
    'is not [id, tags]',
  );
}
