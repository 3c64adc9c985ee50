import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  CAMPAIGN_PARTITION,
  fromCampaignItems,
  readCampaignHeader,
  toCampaignItems,
} from '../../core/campaign/campaign-item.ts';
import type { CampaignPlan } from '../../core/campaign/campaign-plan.ts';
import {
  compareAttention,
  compareRecency,
  isExpired,
  nodesToConfirm,
  pickLatestByNode,
  planAttentionQueries,
} from '../../core/store/attention.ts';
import {
  type AcquireScanLockRequest,
  type AttentionQuery,
  type AttentionRuns,
  type FleetStore,
  MAX_NEWER_ATTENTION_RUNS,
  type WriteSummary,
} from '../../core/store/fleet-store.ts';
import { fromNodeItem, toNodeItem } from '../../core/store/node-item.ts';
import type { NodeState } from '../../core/store/node-state.ts';
import { ScanAlreadyRunningError } from '../../core/store/scan-already-running-error.ts';
import {
  epochSeconds,
  fromLockItem,
  SCAN_LOCK_KEY,
  type ScanLock,
  toLockItem,
} from '../../core/store/scan-lock.ts';
import {
  DEFAULT_RUN_RETENTION_DAYS,
  fromRunItem,
  type ScanRun,
  toRunItem,
} from '../../core/store/scan-run.ts';
import { StoredItemInvalidError } from '../../core/store/stored-item-invalid-error.ts';
import { ATTENTION_STATUSES, nodePartitionKey, RUN_PARTITION } from '../../core/store/table-keys.ts';
import type { VerdictStatus } from '../../core/verdict.ts';
import {
  ATTENTION_INDEX_NAME,
  ATTENTION_PARTITION_KEY,
  ATTENTION_SORT_KEY,
  TABLE_PARTITION_KEY,
} from '../../shared/table-schema.ts';
import { batchWriteItems } from './batch-write-items.ts';
import { sendCounted } from './send-counted.ts';
import { type Capacity, StoreStats } from './store-stats.ts';
import { isConditionalCheckFailed, translateDynamoError } from './translate-dynamo-error.ts';

export interface DynamoFleetStoreOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Counters shared with whoever wants them (a benchmark, a run summary); a fresh one by default. */
  readonly stats?: StoreStats;
  /** BatchWriteItem calls in flight at once. Default 4. */
  readonly writeConcurrency?: number;
  /** Calls per batch before leftovers are reported unwritten. Default 8. */
  readonly maxBatchAttempts?: number;
  /** Backoff between UnprocessedItems retries: base and cap, ms. Default 50 and 3,000. */
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Query/Scan `Limit` (tests use it to force pagination). Default: DynamoDB's 1 MB pages. */
  readonly pageSize?: number;
  /** Parallel Scan segments for listLatestNodeStates. Default 4. */
  readonly scanSegments?: number;
  /** Queries in flight when confirming nodes of an older run. Default 8. */
  readonly readConcurrency?: number;
  readonly runRetentionDays?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The FleetStore on one DynamoDB table (AWS or the embedded dynalite), through lib-dynamodb. */
export class DynamoFleetStore implements FleetStore {
  readonly stats: StoreStats;
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly options: DynamoFleetStoreOptions;

  constructor(options: DynamoFleetStoreOptions) {
    this.doc = options.doc;
    this.tableName = options.tableName;
    this.stats = options.stats ?? new StoreStats();
    this.options = options;
  }

  async putNodeStates(states: readonly NodeState[]): Promise<WriteSummary> {
    const fitted = states.map((state) => toNodeItem(state));
    const oversized = fitted.filter((f) => f.sizeBytes > 1024).length;
    this.stats.recordOversized(oversized);
    const result = await this.batchWrite(
      fitted.map((f) => f.item),
      this.options.writeConcurrency ?? 4,
    );
    return { ...result, oversized };
  }

  /** BatchWriteItem in batches of 25, `concurrency` at a time, unprocessed items retried with backoff. */
  private batchWrite(
    items: Parameters<typeof batchWriteItems>[0],
    concurrency: number,
  ): ReturnType<typeof batchWriteItems> {
    return batchWriteItems(items, {
      tableName: this.tableName,
      send: (input) =>
        this.call('BatchWriteItem', () =>
          this.doc.send(new BatchWriteCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' })),
        ),
      concurrency,
      maxAttempts: this.options.maxBatchAttempts ?? 8,
      baseDelayMs: this.options.retryBaseDelayMs ?? 50,
      maxDelayMs: this.options.retryMaxDelayMs ?? 3000,
      sleep: this.options.sleep ?? defaultSleep,
      random: this.options.random ?? Math.random,
      onRetry: () => this.stats.recordRetry(),
    });
  }

  async getNodeState(node: string, now: Date): Promise<NodeState | undefined> {
    return pickLatestByNode(await this.queryNode(node), now)[0];
  }

  async listNodeHistory(node: string, now: Date): Promise<NodeState[]> {
    return (await this.queryNode(node)).filter((s) => !isExpired(s, now)).sort(compareRecency);
  }

  async listAttention(query: AttentionQuery): Promise<NodeState[]> {
    const wanted = new Set<VerdictStatus>(query.statuses ?? ATTENTION_STATUSES);
    const plans = planAttentionQueries(query.runIds, query.statuses);
    const pages = await Promise.all(
      plans.map((plan) =>
        this.queryAll({
          TableName: this.tableName,
          IndexName: ATTENTION_INDEX_NAME,
          KeyConditionExpression:
            plan.sortKeyPrefix === undefined ? '#apk = :apk' : '#apk = :apk AND begins_with(#ask, :prefix)',
          ExpressionAttributeNames: {
            '#apk': ATTENTION_PARTITION_KEY,
            ...(plan.sortKeyPrefix === undefined ? {} : { '#ask': ATTENTION_SORT_KEY }),
          },
          ExpressionAttributeValues: {
            ':apk': plan.partitionKey,
            ...(plan.sortKeyPrefix === undefined ? {} : { ':prefix': plan.sortKeyPrefix }),
          },
        }),
      ),
    );
    let latest = pickLatestByNode(this.readNodeItems(pages.flat()), query.now);

    const newestRunId = query.runIds[query.runIds.length - 1];
    if (query.runIds.length > 1 && newestRunId !== undefined) {
      const confirm = new Set(nodesToConfirm(latest, newestRunId));
      const confirmed = await this.mapBounded([...confirm], (node) => this.getNodeState(node, query.now));
      latest = [...latest.filter((s) => !confirm.has(s.node)), ...confirmed.filter((s) => s !== undefined)];
    }
    return latest.filter((s) => wanted.has(s.status)).sort(compareAttention);
  }

  async listCurrentAttention(query: {
    readonly now: Date;
    readonly statuses?: readonly VerdictStatus[];
  }): Promise<{ readonly runs: AttentionRuns; readonly nodes: NodeState[] }> {
    const runs = await this.findAttentionRuns(query.now);
    const runIds = [...(runs.complete ? [runs.complete.runId] : []), ...runs.newer.map((r) => r.runId)];
    if (runIds.length === 0) return { runs, nodes: [] };
    const nodes = await this.listAttention({
      runIds,
      now: query.now,
      ...(query.statuses === undefined ? {} : { statuses: query.statuses }),
    });
    return { runs, nodes };
  }

  async listLatestNodeStates(now: Date): Promise<NodeState[]> {
    return pickLatestByNode(await this.scanNodeStates(), now).sort((a, b) =>
      a.node < b.node ? -1 : a.node > b.node ? 1 : 0,
    );
  }

  async listNodeHistories(now: Date): Promise<NodeState[][]> {
    const byNode = new Map<string, NodeState[]>();
    for (const state of await this.scanNodeStates()) {
      if (isExpired(state, now)) continue;
      const history = byNode.get(state.node);
      if (history) history.push(state);
      else byNode.set(state.node, [state]);
    }
    return [...byNode.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, history]) => history.sort(compareRecency));
  }

  async saveRun(run: ScanRun): Promise<void> {
    const item = toRunItem(run, this.options.runRetentionDays ?? DEFAULT_RUN_RETENTION_DAYS);
    await this.call('PutItem', () =>
      this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: item, ReturnConsumedCapacity: 'TOTAL' }),
      ),
    );
  }

  async listRuns(options: { readonly limit: number; readonly now: Date }): Promise<ScanRun[]> {
    const runs: ScanRun[] = [];
    for await (const run of this.runsNewestFirst(options.now, Math.min(options.limit, 100))) {
      if (runs.length >= options.limit) break;
      runs.push(run);
    }
    return runs;
  }

  async findLatestCompleteRun(now: Date): Promise<ScanRun | undefined> {
    return (await this.findAttentionRuns(now)).complete;
  }

  async findAttentionRuns(now: Date): Promise<AttentionRuns> {
    const newer: ScanRun[] = [];
    for await (const run of this.runsNewestFirst(now, 10)) {
      if (run.status === 'COMPLETE') return { complete: run, newer: newer.reverse() };
      if (newer.length < MAX_NEWER_ATTENTION_RUNS) newer.push(run);
    }
    return { newer: newer.reverse() };
  }

  async acquireScanLock(request: AcquireScanLockRequest): Promise<ScanLock> {
    const lock = {
      runId: request.runId,
      acquiredAt: request.now,
      expiresAt: new Date(request.now.getTime() + request.leaseSeconds * 1000),
    };
    const taken = await this.conditional('PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toLockItem(lock),
          ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt < :now',
          ExpressionAttributeNames: { '#pk': TABLE_PARTITION_KEY, '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': epochSeconds(request.now) },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    if (!taken) throw new ScanAlreadyRunningError(request.runId, await this.readLock());
    return lock;
  }

  async renewScanLock(request: AcquireScanLockRequest): Promise<ScanLock> {
    const held = await this.readLock();
    const lock = {
      runId: request.runId,
      acquiredAt: held?.runId === request.runId ? held.acquiredAt : request.now,
      expiresAt: new Date(request.now.getTime() + request.leaseSeconds * 1000),
    };
    const renewed = await this.conditional('PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toLockItem(lock),
          // Still ours, or released/expired-and-deleted meanwhile (no one else can be running then).
          ConditionExpression: '#runId = :runId OR attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#runId': 'runId', '#pk': TABLE_PARTITION_KEY },
          ExpressionAttributeValues: { ':runId': request.runId },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    if (!renewed) throw new ScanAlreadyRunningError(request.runId, await this.readLock());
    return lock;
  }

  async releaseScanLock(runId: string): Promise<boolean> {
    return this.conditional('DeleteItem', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: SCAN_LOCK_KEY,
          ConditionExpression: '#runId = :runId',
          ExpressionAttributeNames: { '#runId': 'runId' },
          ExpressionAttributeValues: { ':runId': runId },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  }

  /**
   * Chunks first, header last (see campaign-item.ts): until the header lands the plan does not
   * exist for readers, so a save that breaks off part-way never shows as the latest plan.
   */
  async saveCampaign(plan: CampaignPlan): Promise<void> {
    const { header, chunks } = toCampaignItems(plan);
    if (chunks.length > 0) {
      // Chunks are up to 300 KB each: one batch of 25 at a time keeps a call far under 16 MB.
      await this.batchWrite(chunks, 1);
    }
    await this.call('PutItem', () =>
      this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: header, ReturnConsumedCapacity: 'TOTAL' }),
      ),
    );
  }

  async loadLatestCampaign(now: Date): Promise<CampaignPlan | undefined> {
    for await (const item of this.partitionNewestFirst(CAMPAIGN_PARTITION, 5)) {
      const header = this.readOrSkip(() => readCampaignHeader(item));
      if (header === undefined || header.expiresAt <= epochSeconds(now)) continue;
      // Consistent: the chunks were written just before the header this read found.
      const chunks = await this.queryAll({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_PARTITION_KEY },
        ExpressionAttributeValues: { ':pk': header.chunkPartitionKey },
        ConsistentRead: true,
      });
      return fromCampaignItems(item, chunks);
    }
    return undefined;
  }

  private async readLock(): Promise<ScanLock | undefined> {
    const output = await this.call('GetItem', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: SCAN_LOCK_KEY,
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return output.Item === undefined ? undefined : fromLockItem(output.Item);
  }

  private async *runsNewestFirst(now: Date, pageSize: number): AsyncGenerator<ScanRun> {
    for await (const item of this.partitionNewestFirst(RUN_PARTITION, pageSize)) {
      const stored = this.readOrSkip(() => fromRunItem(item));
      if (stored && stored.expiresAt > epochSeconds(now)) yield stored.run;
    }
  }

  /** The items of one partition, newest sort key first, a page at a time as the caller reads on. */
  private async *partitionNewestFirst(
    partition: string,
    pageSize: number,
  ): AsyncGenerator<Record<string, unknown>> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call('Query', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': TABLE_PARTITION_KEY },
            ExpressionAttributeValues: { ':pk': partition },
            ScanIndexForward: false,
            Limit: pageSize,
            ReturnConsumedCapacity: 'TOTAL',
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        ),
      );
      yield* page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  private async queryNode(node: string): Promise<NodeState[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_PARTITION_KEY },
      ExpressionAttributeValues: { ':pk': nodePartitionKey(node) },
    });
    return this.readNodeItems(items);
  }

  private readNodeItems(items: readonly Record<string, unknown>[]): NodeState[] {
    const states: NodeState[] = [];
    for (const item of items) {
      const state = this.readOrSkip(() => fromNodeItem(item));
      if (state) states.push(state);
    }
    return states;
  }

  /**
   * One malformed item must not take the whole at-risk list down: it is skipped and counted
   * (stats.invalidItems), and the rest is returned.
   */
  private readOrSkip<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof StoredItemInvalidError)) throw error;
      this.stats.recordInvalid();
      return undefined;
    }
  }

  /** Every node state item (history included): a parallel Scan of the NODE# partitions. */
  private async scanNodeStates(): Promise<NodeState[]> {
    const segments = this.options.scanSegments ?? 4;
    const parts = await Promise.all(
      Array.from({ length: segments }, (_, segment) =>
        this.scanAll({
          TableName: this.tableName,
          Segment: segment,
          TotalSegments: segments,
          FilterExpression: 'begins_with(#pk, :node)',
          ExpressionAttributeNames: { '#pk': TABLE_PARTITION_KEY },
          ExpressionAttributeValues: { ':node': nodePartitionKey('') },
        }),
      ),
    );
    return this.readNodeItems(parts.flat());
  }

  private queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    return this.readAllPages('Query', (page) => new QueryCommand({ ...input, ...page }));
  }

  private scanAll(input: ScanCommandInput): Promise<Record<string, unknown>[]> {
    return this.readAllPages('Scan', (page) => new ScanCommand({ ...input, ...page }));
  }

  /** Follows LastEvaluatedKey to the end; every page counts its consumed capacity. */
  private async readAllPages(
    operation: 'Query' | 'Scan',
    command: (page: {
      ReturnConsumedCapacity: 'TOTAL';
      Limit?: number;
      ExclusiveStartKey?: Record<string, unknown>;
    }) => QueryCommand | ScanCommand,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const request = command({
        ReturnConsumedCapacity: 'TOTAL',
        ...(this.options.pageSize === undefined ? {} : { Limit: this.options.pageSize }),
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      });
      const page = await this.call(operation, () =>
        request instanceof QueryCommand ? this.doc.send(request) : this.doc.send(request),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  private async mapBounded<T, R>(inputs: readonly T[], map: (input: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(inputs.length);
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const index = next;
        next += 1;
        results[index] = await map(inputs[index]!);
      }
    };
    const width = Math.min(this.options.readConcurrency ?? 8, inputs.length);
    await Promise.all(Array.from({ length: width }, worker));
    return results;
  }

  /** Every request goes through here: counted, consumed capacity added up, errors made domain errors. */
  private call<T extends { ConsumedCapacity?: Capacity | Capacity[] | undefined }>(
    operation: string,
    send: () => Promise<T>,
  ): Promise<T> {
    return sendCounted(this.stats, this.tableName, operation, send);
  }

  /** Like `call`, but a failed condition is an answer (false), not an error. */
  private async conditional<T extends { ConsumedCapacity?: Capacity | Capacity[] | undefined }>(
    operation: string,
    send: () => Promise<T>,
  ): Promise<boolean> {
    try {
      const output = await send();
      this.stats.recordCall(operation, output.ConsumedCapacity);
      return true;
    } catch (error) {
      this.stats.recordCall(operation, undefined);
      if (isConditionalCheckFailed(error)) return false;
      throw translateDynamoError(error, operation, this.tableName);
    }
  }
}
