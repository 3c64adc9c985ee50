import { RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer managed KMS key for the stack's data at rest: the fleet table, the report bucket
 * and the report topic. What the stack stores is a map of which nodes are exploitable or about to
 * hang, so the key gives the security team a second lock besides IAM (the key policy), a CloudTrail
 * record of every decrypt, and a way to make the data unreadable at once (disable the key).
 * Costs $1 a month plus requests (S3 bucket keys and DynamoDB's table key cache keep those few).
 *
 * Rotation is yearly (AWS's default period). The key is kept when the stack is deleted: the
 * retained table, bucket and backups cannot be read without it.
 */
export class DataKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'fleet-compliance: fleet table, report bucket and report topic at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted report topic; the AWS managed aws/sns key cannot
    // be used by them, which is one reason this key exists.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
  }
}
