import {
  ResourceGroupsTaggingAPIClient,
  type ResourceGroupsTaggingAPIClientConfig,
} from '@aws-sdk/client-resource-groups-tagging-api';

export interface TaggingClientOptions {
  /** e.g. the local simulator's `http://127.0.0.1:<port>` (it answers GetResources too); unset = AWS. */
  readonly endpoint?: string;
  /** Unset = the SDK's own resolution (AWS_REGION in Lambda); `us-east-1` with a local endpoint. */
  readonly region?: string;
  /** Unset = the SDK's default chain; fixed placeholders with a local endpoint. */
  readonly credentials?: ResourceGroupsTaggingAPIClientConfig['credentials'];
  /** Default 10. */
  readonly maxAttempts?: number;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Same retry policy as the SSM client: adaptive, 10 attempts (research anchors A2). */
export function createTaggingClient(options: TaggingClientOptions = {}): ResourceGroupsTaggingAPIClient {
  const local = options.endpoint !== undefined;
  const region = options.region ?? (local ? 'us-east-1' : undefined);
  const credentials = options.credentials ?? (local ? LOCAL_CREDENTIALS : undefined);
  return new ResourceGroupsTaggingAPIClient({
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 10,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(credentials === undefined ? {} : { credentials }),
  });
}
