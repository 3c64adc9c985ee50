import { SNSClient } from '@aws-sdk/client-sns';

export interface SnsClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
}

export function createSnsClient(options: SnsClientOptions = {}): SNSClient {
  return new SNSClient({
    retryMode: 'adaptive',
    maxAttempts: 6,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  });
}
