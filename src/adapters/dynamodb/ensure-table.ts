import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  ATTENTION_INDEX_NAME,
  ATTENTION_PARTITION_KEY,
  ATTENTION_PROJECTION,
  ATTENTION_SORT_KEY,
  TABLE_BILLING_MODE,
  TABLE_PARTITION_KEY,
  TABLE_SORT_KEY,
} from '../../shared/table-schema.ts';
import { translateDynamoError } from './translate-dynamo-error.ts';

export interface EnsureTableOptions {
  readonly sleep?: (ms: number) => Promise<void>;
  /** DescribeTable polls while the table is CREATING (dynalite: none when createTableMs is 0). */
  readonly maxPolls?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates the fleet table with its attention index unless it exists: DescribeTable first, so a
 * restart over existing data costs one call. For the embedded store and tests; in AWS the stack
 * owns the table. TTL is not switched on here (dynalite has no UpdateTimeToLive): readers filter
 * expired items themselves either way.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<{ readonly created: boolean }> {
  const sleep = options.sleep ?? defaultSleep;
  let created = false;
  try {
    let status = await describeStatus(client, tableName);
    if (status === undefined) {
      created = await createTable(client, tableName);
      status = await describeStatus(client, tableName);
    }
    for (let poll = 0; status !== 'ACTIVE' && poll < (options.maxPolls ?? 100); poll += 1) {
      await sleep(100);
      status = await describeStatus(client, tableName);
    }
    if (status !== 'ACTIVE') throw new Error(`table ${tableName} is ${status ?? 'missing'}, not ACTIVE`);
    return { created };
  } catch (error) {
    throw translateDynamoError(error, 'EnsureTable', tableName);
  }
}

async function describeStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return described.Table?.TableStatus;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: TABLE_BILLING_MODE,
        AttributeDefinitions: [
          { AttributeName: TABLE_PARTITION_KEY, AttributeType: 'S' },
          { AttributeName: TABLE_SORT_KEY, AttributeType: 'S' },
          { AttributeName: ATTENTION_PARTITION_KEY, AttributeType: 'S' },
          { AttributeName: ATTENTION_SORT_KEY, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: TABLE_PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: TABLE_SORT_KEY, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: ATTENTION_INDEX_NAME,
            KeySchema: [
              { AttributeName: ATTENTION_PARTITION_KEY, KeyType: 'HASH' },
              { AttributeName: ATTENTION_SORT_KEY, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: ATTENTION_PROJECTION },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    // Another process created it between our DescribeTable and CreateTable.
    if (error instanceof ResourceInUseException) return false;
    throw error;
  }
}
