import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';

export interface SsmClientOptions {
  /** e.g. the local simulator's `http://127.0.0.1:<port>`; unset = the regional AWS endpoint. */
  readonly endpoint?: string;
  /** Unset = the SDK's own resolution (AWS_REGION in Lambda); `us-east-1` with a local endpoint. */
  readonly region?: string;
  /** Unset = the SDK's default chain; fixed placeholders with a local endpoint (the simulator checks none). */
  readonly credentials?: SSMClientConfig['credentials'];
  /** Default 10. */
  readonly maxAttempts?: number;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * SSM publishes no rate for Run Command's APIs and throttles with `ThrottlingException: Rate
 * exceeded`; adaptive retry backs off and rate-limits the client itself, and 10 attempts ride out
 * a burst (research anchors A2; aws-rfdk PR 1723 fixed the same throttling this way).
 */
export function createSsmClient(options: SsmClientOptions = {}): SSMClient {
  const local = options.endpoint !== undefined;
  const region = options.region ?? (local ? 'us-east-1' : undefined);
  const credentials = options.credentials ?? (local ? LOCAL_CREDENTIALS : undefined);
  return new SSMClient({
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 10,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(credentials === undefined ? {} : { credentials }),
  });
}
