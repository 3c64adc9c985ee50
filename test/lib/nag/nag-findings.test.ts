import { App, Aws, Stack } from 'aws-cdk-lib';
import { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { wildcardResourceFinding } from '../../../lib/nag/nag-findings.ts';

describe('wildcardResourceFinding', () => {
  const stack = new Stack(new App(), 'S');
  const topic = new CfnTopic(stack, 'Topic');

  it('spells a literal ARN as cdk-nag does', () => {
    expect(wildcardResourceFinding(stack, 'arn:aws:s3:::bucket/*')).toBe(
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*]',
    );
  });

  it('flattens pseudo parameters and attributes into <...> as cdk-nag does', () => {
    expect(
      wildcardResourceFinding(stack, `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:instance/*`),
    ).toBe('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*]');
    expect(wildcardResourceFinding(stack, `${topic.attrTopicArn}:*`)).toBe(
      'AwsSolutions-IAM5[Resource::<Topic.TopicArn>:*]',
    );
    expect(wildcardResourceFinding(stack, `${topic.ref}/*`)).toBe('AwsSolutions-IAM5[Resource::<Topic>/*]');
  });
});
