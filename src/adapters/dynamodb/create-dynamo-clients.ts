import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  /** e.g. the embedded store's `http://127.0.0.1:<port>`; unset = the regional AWS endpoint. */
  readonly endpoint?: string;
  /** Unset = the SDK's own resolution (AWS_REGION in Lambda); `us-east-1` with a local endpoint. */
  readonly region?: string;
  /** Unset = the SDK's default chain; fixed placeholders with a local endpoint (dynalite ignores them). */
  readonly credentials?: DynamoDBClientConfig['credentials'];
  /** Default 10 (with adaptive retry: client-side rate limiting when the table throttles). */
  readonly maxAttempts?: number;
}

export interface DynamoClients {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  /** Closes the HTTP sockets (lets a CLI process exit promptly). */
  destroy(): void;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Throttling has no published rate: the SDK's adaptive mode backs off and rate-limits the client
 * itself, and 10 attempts ride out a burst (see research anchors A2). The document client drops
 * undefined values so optional fields never reach the wire as NULL.
 */
export function createDynamoClients(options: DynamoClientOptions = {}): DynamoClients {
  const local = options.endpoint !== undefined;
  const region = options.region ?? (local ? 'us-east-1' : undefined);
  const credentials = options.credentials ?? (local ? LOCAL_CREDENTIALS : undefined);
  const client = new DynamoDBClient({
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 10,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(credentials === undefined ? {} : { credentials }),
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    client,
    doc,
    destroy: () => {
      doc.destroy();
      client.destroy();
    },
  };
}
