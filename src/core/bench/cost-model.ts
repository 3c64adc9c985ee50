import { AWS_PRICES, type PriceName } from './aws-prices.ts';

/** One function's use per run (a scan or a report): memory, invocations and billed seconds. */
export interface LambdaUse {
  readonly name: string;
  readonly memoryMb: number;
  readonly invocations: number;
  /** Total over the run's invocations. */
  readonly seconds: number;
}

/** Measured (or modeled from measured) figures of one scan and one report, and how often they run. */
export interface MonthlyCostInput {
  readonly nodes: number;
  readonly scansPerMonth: number;
  readonly scanLambdas: readonly LambdaUse[];
  readonly scanWriteUnits: number;
  readonly scanReadUnits: number;
  readonly scanTransitions: number;
  readonly reportsPerMonth: number;
  readonly reportLambda: LambdaUse;
  readonly reportReadUnits: number;
  readonly reportPuts: number;
  readonly reportBytes: number;
  /** Days the bucket's lifecycle rule keeps a report (the stack's reportRetentionDays). */
  readonly reportRetentionDays: number;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly price: PriceName;
  readonly usd: number;
}

export interface MonthlyCost {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  readonly perNodeUsd: number;
  /** Amazon Inspector's EC2 scanning for the same nodes, and how many times this scanner's cost it is. */
  readonly inspectorUsd: number;
  readonly inspectorRatio: number;
}

const GIB = 1024 ** 3;

function line(item: string, quantity: number, unit: string, price: PriceName): CostLine {
  return { item, quantity, unit, price, usd: quantity * AWS_PRICES[price].usd };
}

/**
 * USD per month of running the scanner: Lambda duration (arm64) and requests, DynamoDB on-demand
 * write and read units, Step Functions transitions, and the report's S3 PUTs and storage (kept
 * `reportRetentionDays`, so the steady state holds that many days of reports). Free tiers are left
 * out; SSM Run Command and its API calls carry no charge on EC2 (research anchors A8).
 */
export function monthlyCost(input: MonthlyCostInput): MonthlyCost {
  const scans = input.scansPerMonth;
  const reports = input.reportsPerMonth;
  const lambdas = [
    ...input.scanLambdas.map((l) => ({ use: l, runs: scans })),
    { use: input.reportLambda, runs: reports },
  ];
  const lines: CostLine[] = [];
  for (const { use, runs } of lambdas) {
    lines.push(
      line(
        `Lambda ${use.name}: duration`,
        (use.seconds * use.memoryMb * runs) / 1024,
        'GB-s',
        'lambdaArmGbSecond',
      ),
    );
  }
  const requests = lambdas.reduce((sum, { use, runs }) => sum + use.invocations * runs, 0);
  lines.push(line('Lambda: requests', requests, 'requests', 'lambdaRequest'));
  lines.push(line('DynamoDB: scan writes', input.scanWriteUnits * scans, 'WRU', 'dynamoWriteUnit'));
  lines.push(line('DynamoDB: scan reads', input.scanReadUnits * scans, 'RRU', 'dynamoReadUnit'));
  lines.push(line('DynamoDB: report reads', input.reportReadUnits * reports, 'RRU', 'dynamoReadUnit'));
  lines.push(
    line(
      'Step Functions: transitions',
      input.scanTransitions * scans,
      'transitions',
      'stepFunctionsTransition',
    ),
  );
  lines.push(line('S3: report uploads', input.reportPuts * reports, 'PUT', 's3PutRequest'));
  const keptReports = (reports / 30) * input.reportRetentionDays;
  lines.push(
    line('S3: reports kept', (input.reportBytes * keptReports) / GIB, 'GB-month', 's3StorageGbMonth'),
  );
  const totalUsd = lines.reduce((sum, l) => sum + l.usd, 0);
  const inspectorUsd = input.nodes * AWS_PRICES.inspectorInstanceMonth.usd;
  return {
    lines,
    totalUsd,
    perNodeUsd: input.nodes > 0 ? totalUsd / input.nodes : 0,
    inspectorUsd,
    inspectorRatio: totalUsd > 0 ? inspectorUsd / totalUsd : Number.POSITIVE_INFINITY,
  };
}
