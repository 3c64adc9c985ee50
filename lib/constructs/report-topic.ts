import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ReportTopicProps {
  /** Customer managed key the topic's messages are encrypted with at rest. */
  readonly masterKey: IKey;
  /**
   * Address subscribed by email (SNS sends a confirmation mail first).
   * @default - no subscription; subscribe later with `aws sns subscribe`
   */
  readonly email?: string;
}

/**
 * Report summaries and scan-failure alarms. Encrypted with the stack's key (the summary names
 * at-risk nodes), and its policy refuses publishing over plain HTTP.
 */
export class ReportTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: ReportTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'fleet-compliance reports',
      masterKey: props.masterKey,
      enforceSSL: true,
    });
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));
  }
}
