/**
 * The cost model's arithmetic, checked against sums worked by hand from the prices in
 * src/core/bench/aws-prices.ts (research anchors A7, A8).
 */
import { describe, expect, it } from 'vitest';
import { AWS_PRICES } from '../../src/core/bench/aws-prices.ts';
import { type MonthlyCostInput, monthlyCost } from '../../src/core/bench/cost-model.ts';

const INPUT: MonthlyCostInput = {
  nodes: 10_000,
  scansPerMonth: 30,
  scanLambdas: [
    { name: 'dispatch', memoryMb: 512, invocations: 1, seconds: 10 },
    { name: 'collect', memoryMb: 1024, invocations: 2, seconds: 100 },
  ],
  scanWriteUnits: 11_000,
  scanReadUnits: 600,
  scanTransitions: 70,
  reportsPerMonth: 30,
  reportLambda: { name: 'report', memoryMb: 1024, invocations: 1, seconds: 20 },
  reportReadUnits: 900,
  reportPuts: 3,
  reportBytes: 1024 ** 3 / 365,
  reportRetentionDays: 365,
};

function usdOf(item: string): number {
  const line = monthlyCost(INPUT).lines.find((l) => l.item === item);
  if (!line) throw new Error(`no line ${item}`);
  return line.usd;
}

describe('monthlyCost', () => {
  it('bills Lambda duration as seconds x GB x runs at the arm64 price', () => {
    // 10 s x 0.5 GB x 30 scans = 150 GB-s; 100 s x 1 GB x 30 = 3,000 GB-s; report 20 x 1 x 30 = 600.
    expect(usdOf('Lambda dispatch: duration')).toBeCloseTo(150 * 0.0000133334, 12);
    expect(usdOf('Lambda collect: duration')).toBeCloseTo(3000 * 0.0000133334, 12);
    expect(usdOf('Lambda report: duration')).toBeCloseTo(600 * 0.0000133334, 12);
  });

  it('counts every invocation of every run as a request', () => {
    // (1 + 2) x 30 scans + 1 x 30 reports = 120 requests.
    expect(usdOf('Lambda: requests')).toBeCloseTo(120 * 0.2e-6, 15);
  });

  it('bills DynamoDB units, transitions and PUTs per run', () => {
    expect(usdOf('DynamoDB: scan writes')).toBeCloseTo(11_000 * 30 * 0.625e-6, 12);
    expect(usdOf('DynamoDB: scan reads')).toBeCloseTo(600 * 30 * 0.125e-6, 12);
    expect(usdOf('DynamoDB: report reads')).toBeCloseTo(900 * 30 * 0.125e-6, 12);
    expect(usdOf('Step Functions: transitions')).toBeCloseTo(70 * 30 * 0.000025, 12);
    expect(usdOf('S3: report uploads')).toBeCloseTo(90 * 0.000005, 12);
  });

  it('keeps a year of daily reports in S3 in the steady state', () => {
    // 365 reports of 1/365 GiB each = 1 GiB-month.
    expect(usdOf('S3: reports kept')).toBeCloseTo(0.023, 12);
  });

  it('totals the lines and compares with Amazon Inspector at $1.25 per instance-month', () => {
    const cost = monthlyCost(INPUT);
    const sum = cost.lines.reduce((s, l) => s + l.usd, 0);
    expect(cost.totalUsd).toBeCloseTo(sum, 12);
    expect(cost.perNodeUsd).toBeCloseTo(sum / 10_000, 15);
    expect(cost.inspectorUsd).toBe(12_500);
    expect(cost.inspectorRatio).toBeCloseTo(12_500 / sum, 6);
  });
});

describe('AWS_PRICES', () => {
  it('names a source URL and when the figure was recorded for every price', () => {
    for (const price of Object.values(AWS_PRICES)) {
      expect(price.source).toMatch(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//);
      expect(price.recorded).toMatch(/2026/);
      expect(price.usd).toBeGreaterThan(0);
    }
  });

  it('uses the figures of research anchors A7 and A8', () => {
    expect(AWS_PRICES.lambdaArmGbSecond.usd).toBe(0.0000133334);
    expect(AWS_PRICES.lambdaRequest.usd * 1e6).toBeCloseTo(0.2, 12);
    expect(AWS_PRICES.dynamoWriteUnit.usd * 1e6).toBeCloseTo(0.625, 12);
    expect(AWS_PRICES.dynamoReadUnit.usd * 1e6).toBeCloseTo(0.125, 12);
    expect(AWS_PRICES.stepFunctionsTransition.usd * 1000).toBeCloseTo(0.025, 12);
  });
});
