import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReportNotificationError } from '../../../src/adapters/sns/report-notification-error.ts';
import {
  fitMessage,
  fitSubject,
  ReportTopic,
  SNS_MESSAGE_MAX_BYTES,
} from '../../../src/adapters/sns/report-topic.ts';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:fleet-reports';

describe('ReportTopic', () => {
  let topic: ReportTopic;

  beforeEach(() => {
    sns.reset();
    topic = new ReportTopic({ client: new SNSClient({ region: 'eu-west-1' }), topicArn: TOPIC });
  });
  afterEach(() => sns.reset());

  it('publishes the subject and message to the topic', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    expect(await topic.publishSummary('Fleet compliance: 3 of 10 nodes at risk', 'body\n')).toBe('m-1');
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: 'Fleet compliance: 3 of 10 nodes at risk',
      Message: 'body\n',
    });
  });

  it('turns a refusal into a ReportNotificationError naming the topic', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));

    await expect(topic.publishSummary('s', 'm')).rejects.toThrow(
      new ReportNotificationError(
        TOPIC,
        Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }),
      ),
    );
  });
});

describe('fitting SNS limits', () => {
  it('keeps a subject to 100 printable ASCII characters on one line', () => {
    expect(fitSubject('a\nb\u00e9c')).toBe('a b?c');
    expect(fitSubject('x'.repeat(150))).toBe(`${'x'.repeat(97)}...`);
    expect(fitSubject('\n')).toBe('fleet-compliance report');
  });

  it('cuts a message over 256 KiB at a character boundary and says so', () => {
    const long = 'é'.repeat(SNS_MESSAGE_MAX_BYTES);
    const fitted = fitMessage(long);

    expect(Buffer.byteLength(fitted, 'utf8')).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
    expect(fitted).not.toContain('\ufffd');
    expect(fitted.endsWith('[message cut to fit SNS; the full report is in the bucket]\n')).toBe(true);
    expect(fitMessage('short')).toBe('short');
  });
});
