import { describe, expect, it } from 'vitest';
import { sendCounted } from '../../../src/adapters/dynamodb/send-counted.ts';
import { StoreStats } from '../../../src/adapters/dynamodb/store-stats.ts';
import { AppError } from '../../../src/core/errors.ts';

describe('sendCounted', () => {
  it('counts a call and the write units it consumed', async () => {
    const stats = new StoreStats();
    await sendCounted(stats, 't', 'PutItem', async () => ({ ConsumedCapacity: { CapacityUnits: 1 } }));
    expect(stats.snapshot()).toMatchObject({ calls: { PutItem: 1 }, writeUnits: 1 });
  });

  it('counts a failed call and turns the SDK error into a domain error', async () => {
    const stats = new StoreStats();
    const failing = sendCounted(stats, 't', 'Query', async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    await expect(failing).rejects.toBeInstanceOf(AppError);
    expect(stats.snapshot().calls).toEqual({ Query: 1 });
  });
});
