import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_CHUNK_BYTES,
  fromCampaignItems,
  toCampaignItems,
} from '../../../src/core/campaign/campaign-item.ts';
import { planCampaign } from '../../../src/core/campaign/plan-campaign.ts';
import { itemSizeBytes } from '../../../src/core/store/item-size.ts';
import { largeStates, T_PLAN } from './campaign-fixtures.ts';

const DYNAMODB_ITEM_LIMIT = 400 * 1024;

describe('campaign items', () => {
  it('chunks a 10,000-node plan into items far below the 400 KB limit and reads it back unchanged', () => {
    const plan = planCampaign(largeStates(10_000), {
      id: 'cmp-big',
      now: T_PLAN,
      maxUnavailable: { percent: 10 },
    });
    const { header, chunks } = toCampaignItems(plan);
    expect(chunks.length).toBeGreaterThan(1);
    for (const item of [header, ...chunks]) expect(itemSizeBytes(item)).toBeLessThan(DYNAMODB_ITEM_LIMIT);
    for (const chunk of chunks) expect(itemSizeBytes(chunk)).toBeLessThanOrEqual(CAMPAIGN_CHUNK_BYTES + 200);
    expect(fromCampaignItems(header, [...chunks].reverse())).toEqual(plan);
  });

  it('refuses a plan with a chunk missing rather than returning fewer nodes', () => {
    const plan = planCampaign(largeStates(3000), {
      id: 'cmp-gap',
      now: T_PLAN,
      maxUnavailable: { count: 5 },
    });
    const { header, chunks } = toCampaignItems(plan);
    expect(() => fromCampaignItems(header, chunks.slice(1))).toThrow(
      /chunkCount is \d+ but \d+ chunk item\(s\) were found/,
    );
  });

  it('names the field of a damaged item', () => {
    const plan = planCampaign(largeStates(3), { id: 'cmp-bad', now: T_PLAN, maxUnavailable: { count: 5 } });
    const { header, chunks } = toCampaignItems(plan);
    const damaged = {
      ...chunks[0]!,
      nodes: (chunks[0]!.nodes as string).replace('"urgency":"', '"urgency":"x'),
    };
    expect(() => fromCampaignItems(header, [damaged])).toThrow(/nodes\.0\.urgency/);
    expect(() => fromCampaignItems({ ...header, formatVersion: 9 }, chunks)).toThrow(/formatVersion is 9/);
  });

  it('keeps an empty plan to one header item', () => {
    const plan = planCampaign([], { id: 'cmp-empty', now: T_PLAN, maxUnavailable: { count: 1 } });
    const { header, chunks } = toCampaignItems(plan);
    expect(chunks).toEqual([]);
    expect(fromCampaignItems(header, [])).toEqual(plan);
  });
});
