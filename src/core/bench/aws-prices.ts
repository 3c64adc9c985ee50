/**
 * List prices the cost model uses (us-east-1, on-demand, free tiers left out). Prices change and
 * differ by Region: re-check each against its source before quoting a figure to anyone.
 */
export interface Price {
  readonly usd: number;
  /** What one `usd` buys. */
  readonly per: string;
  readonly source: string;
  /** Where the figure comes from and when it was recorded. */
  readonly recorded: string;
  /** The research marks it unconfirmed on an AWS page (or it is not in the research at all). */
  readonly verify: boolean;
}

const RESEARCH = "as recorded in the project's research (research/anchors.md), 2026";
const NOT_IN_RESEARCH = "not in the project's research: the us-east-1 list price as commonly quoted, 2026";

export const AWS_PRICES = {
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 'GB-second of Lambda duration, arm64',
    source: 'https://aws.amazon.com/lambda/pricing/',
    recorded: `${RESEARCH}, A8`,
    verify: true,
  },
  lambdaRequest: {
    usd: 0.2 / 1_000_000,
    per: 'Lambda request',
    source: 'https://aws.amazon.com/lambda/pricing/',
    recorded: `${RESEARCH}, A8`,
    verify: true,
  },
  dynamoWriteUnit: {
    usd: 0.625 / 1_000_000,
    per: 'DynamoDB on-demand write request unit (one write of up to 1 KB)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    recorded: `${RESEARCH}, A7 (after the 50% cut of 1 Nov 2024)`,
    verify: true,
  },
  dynamoReadUnit: {
    usd: 0.125 / 1_000_000,
    per: 'DynamoDB on-demand read request unit (4 KB strongly or 2 x 4 KB eventually consistent)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    recorded: `${RESEARCH}, A7`,
    verify: true,
  },
  stepFunctionsTransition: {
    usd: 0.025 / 1000,
    per: 'Step Functions Standard state transition',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    recorded: `${RESEARCH}, A8`,
    verify: false,
  },
  s3PutRequest: {
    usd: 0.005 / 1000,
    per: 'S3 Standard PUT request',
    source: 'https://aws.amazon.com/s3/pricing/',
    recorded: NOT_IN_RESEARCH,
    verify: true,
  },
  s3StorageGbMonth: {
    usd: 0.023,
    per: 'GB-month of S3 Standard storage (first 50 TB)',
    source: 'https://aws.amazon.com/s3/pricing/',
    recorded: NOT_IN_RESEARCH,
    verify: true,
  },
  inspectorInstanceMonth: {
    usd: 1.25,
    per: 'EC2 instance-month of Amazon Inspector scanning (about; $1.2528 in eu-west-1)',
    source: 'https://aws.amazon.com/inspector/pricing/',
    recorded: `${RESEARCH}, A8 (verify per Region)`,
    verify: true,
  },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof AWS_PRICES;

/**
 * A Lambda function gets CPU in proportion to its memory: the equivalent of one vCPU at 1,769 MB.
 * Not in the project's research; from the Lambda developer guide's memory page (re-check).
 */
export const LAMBDA_MB_PER_VCPU = 1769;
export const LAMBDA_MB_PER_VCPU_SOURCE =
  'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html';
