import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientOptions {
  /** Unset = the SDK's own resolution (AWS_REGION in Lambda). */
  readonly region?: string;
  /** A local S3-compatible endpoint (tests); path-style addressing then. */
  readonly endpoint?: string;
}

/** Adaptive retry like the other clients: S3 throttles with 503 SlowDown, the SDK backs off. */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  return new S3Client({
    retryMode: 'adaptive',
    maxAttempts: 6,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint, forcePathStyle: true }),
  });
}
