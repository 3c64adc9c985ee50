import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ReportBucketProps {
  /** Customer managed key report objects are encrypted with. */
  readonly encryptionKey: IKey;
  /** Days a report object is kept before the lifecycle rule deletes it. */
  readonly reportRetentionDays: number;
  /**
   * Days server access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
}

/** Older versions of an overwritten or deleted report stay this long (an accidental overwrite can be undone). */
const NONCURRENT_VERSION_DAYS = 30;
const MULTIPART_ABORT_DAYS = 7;

/**
 * Where the report Lambda writes JSON, CSV and HTML reports. Private (all public access blocked,
 * ACLs disabled), TLS-only, SSE-KMS with the stack's key and an S3 bucket key (one KMS call per
 * key period, not per object), versioned, old reports expired by a lifecycle rule, server access
 * logs to a separate bucket, and RETAIN: reports are evidence for audits and outlive the stack.
 */
export class ReportBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: ReportBucketProps) {
    super(scope, id);
    // S3 delivers server access logs only to buckets encrypted with S3 managed keys.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: false,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: Duration.days(props.accessLogRetentionDays ?? 365),
          abortIncompleteMultipartUploadAfter: Duration.days(MULTIPART_ABORT_DAYS),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'report-bucket/',
      lifecycleRules: [
        {
          id: 'ExpireOldReports',
          expiration: Duration.days(props.reportRetentionDays),
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(MULTIPART_ABORT_DAYS),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
