/**
 * The bench's arithmetic on measurements: per-node figures, the naive ratio, the Lambda model at
 * sizes not scanned, the cost model's inputs and the Markdown rendering. The measurements are made
 * up (round numbers worked by hand), shaped as measure-scan.ts returns them.
 */
import { describe, expect, it } from 'vitest';
import {
  type BenchReport,
  costOf,
  modelLambdas,
  stepCallsOf,
  summarizeSize,
} from '../../src/bench/bench-report.ts';
import type { PhaseCounts } from '../../src/bench/call-counter.ts';
import type { NaiveMeasurement, ScanMeasurement, StepStats } from '../../src/bench/measure-scan.ts';
import { renderBenchTable } from '../../src/bench/render-bench-table.ts';

function phase(calls: PhaseCounts['calls']): PhaseCounts {
  return { calls, attempts: calls, failures: {}, attemptErrors: {} };
}

function step(busyMs: number, calls: PhaseCounts['calls'], invocations = 1): StepStats {
  return { busyMs, cpuMs: busyMs, peakRssMb: 200, startRssMb: 150, invocations, calls: phase(calls) };
}

/** A scan of `n` nodes making the lower bound's calls plus a fixed 30 and 1 GetResources per 100 nodes. */
function scanOf(n: number): ScanMeasurement {
  const dispatch = {
    ssm: { SendCommand: 1, ListCommands: 1 },
    tagging: { GetResources: n / 100 },
    dynamodb: { PutItem: 3 },
  };
  const check = { ssm: { ListCommands: 10 }, dynamodb: { GetItem: 10, PutItem: 10 } };
  const collect = { ssm: { ListCommandInvocations: n / 50 }, dynamodb: { BatchWriteItem: n / 25 } };
  const finalize = { dynamodb: { Query: 2, PutItem: 1, DeleteItem: 1 } };
  const all: PhaseCounts['calls'] = {
    ssm: { SendCommand: 1, ListCommands: 11, ListCommandInvocations: n / 50 },
    tagging: { GetResources: n / 100 },
    dynamodb: { PutItem: 14, GetItem: 10, BatchWriteItem: n / 25, Query: 2, DeleteItem: 1 },
  };
  return {
    kind: 'scan',
    nodes: n,
    faults: 'none',
    summary: {
      status: 'COMPLETE',
      targeted: n,
      byStatus: { COMPLIANT: n },
      refetched: 0,
      missing: 0,
    } as ScanMeasurement['summary'],
    calls: phase(all),
    adapterCalls: {
      ssm: { calls: all.ssm!, failures: {}, retries: 0, retryDelayMs: 0 },
      tagging: { calls: all.tagging!, failures: {}, retries: 0, resources: n, skippedArns: 0 },
      dynamodb: {
        calls: all.dynamodb!,
        writeUnits: 1.1 * n,
        readUnits: 0.05 * n,
        unprocessedRetries: 0,
        oversizedItems: 0,
        invalidItems: 0,
      },
    },
    steps: {
      dispatch: step(n / 10, dispatch),
      check: step(100, check, 10),
      collect: step(n, collect),
      finalize: step(20, finalize),
      report: step(n / 5, { dynamodb: { Scan: 4, Query: 1 } }),
    },
    writeUnits: 1.1 * n,
    readUnits: 0.05 * n,
    nodeItems: { count: n, meanBytes: 570, maxBytes: 850 },
    report: {
      readUnits: 0.09 * n,
      fileBytes: { 'report.json': 1000 * n, 'report.csv': 300 * n, 'report.html': 100 * n },
    },
    scanPeakRssMb: 300,
    peakRssMb: 400,
    serversPeakRssMb: 500,
    setupMs: 1000,
    wallMs: n * 2,
  };
}

function naiveOf(n: number): NaiveMeasurement {
  const calls = {
    ssm: { SendCommand: 1, ListCommands: 9, ListCommandInvocations: n / 50, GetCommandInvocation: n },
    dynamodb: { PutItem: n },
  };
  return {
    kind: 'naive',
    nodes: n,
    faults: 'none',
    judged: n,
    polls: 9,
    calls: phase(calls),
    writeUnits: n,
    wallMs: 5 * n,
    peakRssMb: 200,
  };
}

describe('summarizeSize', () => {
  it('gives calls per node against the lower bound and the naive run', () => {
    const s = summarizeSize([scanOf(10_000), scanOf(10_000), scanOf(10_000)], naiveOf(10_000));
    // 601 lower-bound calls + 100 GetResources + 11 ListCommands + 14 PutItem + 10 GetItem + 2 Query + 1 DeleteItem = 739.
    expect(s.callsPerNode).toBeCloseTo(0.0739, 10);
    expect(s.callsPerNodeSsmDynamo).toBeCloseTo(0.0639, 10);
    expect(s.lowerBoundCallsPerNode).toBeCloseTo(0.0601, 10);
    expect(s.ratioToLowerBound).toBeCloseTo(0.0739 / 0.0601, 10);
    // 1 + 9 + 200 + 10,000 + 10,000 = 20,210 calls.
    expect(s.naiveCallsPerNode).toBeCloseTo(2.021, 10);
    expect(s.naiveToOurs).toBeCloseTo(2.021 / 0.0739, 8);
    expect(s.naiveAsDefined).toBe(true);
    // Check polled 10 times at 3 calls a poll; a real scan polls 21 times: 739 - 30 + 63 = 772.
    expect(s.callsPerNodeAtAwsPolls).toBeCloseTo(0.0772, 10);
    expect(s.adapterCountsAgree).toBe(true);
    expect(s.writeUnitsPerNode).toBeCloseTo(1.1, 10);
    expect(s.reportBytesPerNode).toBe(1400);
    expect(s.peakRssMb).toBe(300);
    expect(s.processPeakRssMb).toBe(400);
  });

  it('notices when the middleware and the adapters disagree', () => {
    const run = scanOf(1000);
    const off = {
      ...run,
      adapterCalls: { ...run.adapterCalls, ssm: { ...run.adapterCalls.ssm, calls: { SendCommand: 2 } } },
    };
    expect(summarizeSize([off], undefined).adapterCountsAgree).toBe(false);
  });
});

describe('modelLambdas', () => {
  const measured = [1000, 10_000].map((n) => ({
    size: summarizeSize([scanOf(n)], undefined),
    stepCalls: stepCallsOf(scanOf(n)),
  }));

  it('extrapolates collect to 100,000 nodes from the per-node cost of the measured sizes', () => {
    const m = modelLambdas(measured, 100_000, 40);
    const collect = m.steps.find((s) => s.step === 'collect')!;
    // Busy 100 s x 1769/1024; 2,000 pages + 4,000/4 write rounds = 3,000 calls x 40 ms = 120 s.
    expect(collect.modeled.sequentialCalls).toBeCloseTo(3000, 6);
    expect(collect.modeled.totalSeconds).toBeCloseTo(100 * (1769 / 1024) + 120, 6);
    expect(m.collectPassesNeeded).toBe(1);
    expect(collect.localPeakRssMb).toBeNull();
    expect(m.basis).toBe('extrapolated from 10000 and 1000');
  });

  it('models check per poll, which does not grow with the fleet', () => {
    const check = modelLambdas(measured, 100_000, 40).steps.find((s) => s.step === 'check')!;
    // One poll: ListCommands + GetItem + PutItem.
    expect(check.modeled.sequentialCalls).toBeCloseTo(3, 9);
  });

  it('splits collect into passes when one would outrun the 15-minute timeout', () => {
    const m = modelLambdas(measured, 100_000, 400);
    // 3,000 calls x 400 ms = 1,200 s + 173 s: two passes of at most 840 s.
    expect(m.collectPassesNeeded).toBe(2);
    expect(m.steps.find((s) => s.step === 'collect')!.withinTimeout).toBe(true);
  });
});

describe('costOf and renderBenchTable', () => {
  const measured = [
    { size: summarizeSize([scanOf(10_000)], naiveOf(10_000)), stepCalls: stepCallsOf(scanOf(10_000)) },
  ];

  it('feeds the measured write units, read units and report size of 10,000 nodes to the cost model', () => {
    const cost = costOf(measured, 40);
    const input = cost.input as { scanWriteUnits: number; reportBytes: number; scanTransitions: number };
    expect(input.scanWriteUnits).toBeCloseTo(11_000, 6);
    expect(input.reportBytes).toBeCloseTo(14_000_000, 6);
    // 21 polls of a 600 s command every 30 s, one collect pass: 2 + 63 + 2 + 2.
    expect(input.scanTransitions).toBe(69);
    expect(cost.monthly.inspectorUsd).toBe(12_500);
  });

  it('renders every section without NaN', () => {
    const size = measured[0]!.size;
    const report: BenchReport = {
      generatedAt: '2026-01-01T00:00:00.000Z',
      environment: { node: 'v20', cpus: 2, cpuModel: 'test', loadBefore: [1, 1, 1], loadAfter: [1, 1, 1] },
      settings: { seed: 1, faults: 'none', runs: 1 },
      headlineNodes: 10_000,
      callsPerNode: size.callsPerNode,
      lowerBoundCallsPerNode: size.lowerBoundCallsPerNode,
      naiveCallsPerNode: size.naiveCallsPerNode,
      evaluateNodesPerSecond: 1,
      peakRssMb: size.peakRssMb,
      sizes: [size],
      evaluation: [],
      lambda: [modelLambdas(measured, 100_000, 40)],
      cost: costOf(measured, 40),
      targets: [{ target: 't', measured: 'm', met: true }],
    };
    const text = renderBenchTable(report);
    for (const heading of [
      'AWS calls per scan',
      'Storage per node',
      'Lambda steps at scale',
      'Cost model',
      'Targets',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).not.toMatch(/NaN|undefined/);
  });
});
