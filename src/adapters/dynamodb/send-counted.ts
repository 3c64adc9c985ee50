import type { Capacity, StoreStats } from './store-stats.ts';
import { translateDynamoError } from './translate-dynamo-error.ts';

/**
 * Sends one DynamoDB request: counts it (and the capacity it consumed) in `stats`, and turns an
 * SDK failure into a domain error naming the operation and the table. Shared by every adapter on
 * the table so their figures add up in one place.
 */
export async function sendCounted<T extends { ConsumedCapacity?: Capacity | Capacity[] | undefined }>(
  stats: StoreStats,
  tableName: string,
  operation: string,
  send: () => Promise<T>,
): Promise<T> {
  try {
    const output = await send();
    stats.recordCall(operation, output.ConsumedCapacity);
    return output;
  } catch (error) {
    stats.recordCall(operation, undefined);
    throw translateDynamoError(error, operation, tableName);
  }
}
