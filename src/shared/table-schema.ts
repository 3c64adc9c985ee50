/**
 * Names the CDK stack and the runtime code must agree on for the single fleet table.
 * This module is data only: it imports nothing, so `lib/` may depend on it.
 */

/** The table's primary key: partition `pk` (S), sort `sk` (S). */
export const TABLE_PARTITION_KEY = 'pk';
export const TABLE_SORT_KEY = 'sk';

/** Epoch seconds; DynamoDB TTL deletes late (up to ~2 days), so readers filter `ttl <= now` themselves. */
export const TABLE_TTL_ATTRIBUTE = 'ttl';

/**
 * Sparse GSI holding only non-compliant node states: `apk = RUN#<runId>`,
 * `ask = <statusOrder>#<urgency>#<nodeId>`. Projection ALL (items stay under 1 KB).
 */
export const ATTENTION_INDEX_NAME = 'attention';
export const ATTENTION_PARTITION_KEY = 'apk';
export const ATTENTION_SORT_KEY = 'ask';
export const ATTENTION_PROJECTION = 'ALL';

/** Billing mode of the table (the stack and the embedded store create it the same way). */
export const TABLE_BILLING_MODE = 'PAY_PER_REQUEST';

/** Table name used by the embedded (local) store. */
export const LOCAL_TABLE_NAME = 'fleet-compliance';
