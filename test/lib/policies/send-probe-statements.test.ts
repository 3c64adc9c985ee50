import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseTargetContext } from '../../../lib/config/target-spec.ts';
import { sendProbeStatements } from '../../../lib/policies/send-probe-statements.ts';

const DOCUMENT_ARN = 'arn:aws:ssm:eu-west-1:111122223333:document/ProbeDoc';
/** An ARN in the stack's partition (aws, aws-cn, aws-us-gov), as CloudFormation receives it. */
const inPartition = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

function render(spec: string) {
  const stack = new Stack(new App(), 'S', { env: { account: '111122223333', region: 'eu-west-1' } });
  return sendProbeStatements(stack, DOCUMENT_ARN, parseTargetContext('targets', spec)).map((s) =>
    stack.resolve(s.toStatementJson()),
  );
}

describe('sendProbeStatements', () => {
  it('names the probe document alone in its own statement', () => {
    const [document] = render('tag:fleet-compliance=enabled');
    expect(document).toEqual({
      Sid: 'SendOnlyTheProbeDocument',
      Effect: 'Allow',
      Action: 'ssm:SendCommand',
      Resource: DOCUMENT_ARN,
    });
  });

  it('bounds tagged EC2 and hybrid nodes by one StringEquals condition per tag key', () => {
    const [, nodes] = render('tag:cluster=a,b;tag:env=prod');
    expect(nodes).toEqual({
      Sid: 'SendOnlyToTaggedNodes',
      Effect: 'Allow',
      Action: 'ssm:SendCommand',
      Resource: [
        inPartition(':ec2:eu-west-1:111122223333:instance/*'),
        inPartition(':ssm:eu-west-1:111122223333:managed-instance/*'),
      ],
      Condition: { StringEquals: { 'ssm:resourceTag/cluster': ['a', 'b'], 'ssm:resourceTag/env': ['prod'] } },
    });
  });

  it('names each node of an ids: target by its own ARN, EC2 or managed-instance', () => {
    const [, nodes] = render('ids:i-0123456789abcdef0,mi-0123456789abcdef0');
    expect(nodes).toEqual({
      Sid: 'SendOnlyToTheTargetNodes',
      Effect: 'Allow',
      Action: 'ssm:SendCommand',
      Resource: [
        inPartition(':ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0'),
        inPartition(':ssm:eu-west-1:111122223333:managed-instance/mi-0123456789abcdef0'),
      ],
    });
  });
});
