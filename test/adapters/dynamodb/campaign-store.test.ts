import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAMPAIGN_PARTITION,
  campaignChunkPartitionKey,
  campaignChunkSortKey,
} from '../../../src/core/campaign/campaign-item.ts';
import { planCampaign } from '../../../src/core/campaign/plan-campaign.ts';
import { StoredItemInvalidError } from '../../../src/core/store/stored-item-invalid-error.ts';
import { largeStates, T_PLAN } from '../../core/campaign/campaign-fixtures.ts';
import { type DynaliteStore, startDynaliteStore } from './dynalite-store.ts';

const plan = (id: string, at: Date, count = 50) =>
  planCampaign(largeStates(count), { id, now: at, maxUnavailable: { percent: 25 } });

describe('DynamoFleetStore campaigns (dynalite)', () => {
  let d: DynaliteStore;
  beforeAll(async () => {
    d = await startDynaliteStore();
  });
  afterAll(() => d.close());

  it('has no campaign before one is saved', async () => {
    expect(await d.store.loadLatestCampaign(T_PLAN)).toBeUndefined();
  });

  it('saves a 10,000-node plan in chunks and loads it back whole', async () => {
    const big = plan('cmp-big', T_PLAN, 10_000);
    await d.store.saveCampaign(big);
    const loaded = await d.store.loadLatestCampaign(T_PLAN);
    expect(loaded).toEqual(big);
    const headers = await d.clients.doc.send(
      new QueryCommand({
        TableName: d.server.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': CAMPAIGN_PARTITION },
      }),
    );
    // About 6 MB of plan: more than a dozen chunk items, read back over several 1 MB query pages.
    expect(headers.Items?.[0]?.chunkCount).toBeGreaterThan(12);
  }, 120_000);

  it('returns the newest plan by creation time', async () => {
    const later = plan('cmp-later', new Date(T_PLAN.getTime() + 3600_000));
    const earlier = plan('cmp-earlier', new Date(T_PLAN.getTime() - 3600_000));
    await d.store.saveCampaign(later);
    await d.store.saveCampaign(earlier);
    expect((await d.store.loadLatestCampaign(T_PLAN))?.id).toBe('cmp-later');
  });

  it('skips plans whose time to live has passed (TTL deletes late)', async () => {
    const afterRetention = new Date(T_PLAN.getTime() + 3600_000 + 181 * 86_400_000);
    expect(await d.store.loadLatestCampaign(afterRetention)).toBeUndefined();
  });

  it('does not hide a plan that lost a chunk: reading it fails and names the item', async () => {
    const broken = plan('cmp-broken', new Date(T_PLAN.getTime() + 7200_000), 3000);
    await d.store.saveCampaign(broken);
    await d.clients.doc.send(
      new DeleteCommand({
        TableName: d.server.tableName,
        Key: { pk: campaignChunkPartitionKey(broken), sk: campaignChunkSortKey(0) },
      }),
    );
    const error = await d.store.loadLatestCampaign(T_PLAN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredItemInvalidError);
    expect((error as Error).message).toMatch(
      new RegExp(`^stored item ${CAMPAIGN_PARTITION}/.*cmp-broken: chunkCount`),
    );
  });
});
