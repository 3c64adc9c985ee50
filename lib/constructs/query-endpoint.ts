import { type FunctionUrl, FunctionUrlAuthType, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface QueryEndpointProps {
  /** The at-risk query Lambda. */
  readonly queryFunction: IFunction;
}

/**
 * The at-risk query behind a Lambda function URL with AWS_IAM auth: callers sign requests with
 * SigV4 and need `lambda:InvokeFunctionUrl` on the function (see docs/DEPLOY.md for the policy).
 * No resource policy opens it to anyone else; unsigned requests get 403 before the code runs.
 */
export class QueryEndpoint extends Construct {
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: QueryEndpointProps) {
    super(scope, id);
    this.url = props.queryFunction.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
  }
}
