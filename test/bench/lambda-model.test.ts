/** The Lambda duration model and the scan's state-transition count, worked by hand. */
import { describe, expect, it } from 'vitest';
import {
  collectPassesFor,
  extrapolate,
  modelStep,
  pollsFor,
  scanTransitions,
} from '../../src/core/bench/lambda-model.ts';

describe('modelStep', () => {
  it('scales busy time by the CPU share and adds sequential calls at the assumed latency', () => {
    const step = {
      computeMs: 10_000,
      invocations: 1,
      calls: { ListCommandInvocations: 200, BatchWriteItem: 400 },
    };
    const m = modelStep(step, 1024, { perCallMs: 40, parallel: { BatchWriteItem: 4 } });
    // 10 s x 1769/1024; 200 + 400/4 = 300 sequential calls x 40 ms = 12 s.
    expect(m.computeSeconds).toBeCloseTo(10 * (1769 / 1024), 9);
    expect(m.sequentialCalls).toBe(300);
    expect(m.waitSeconds).toBeCloseTo(12, 9);
    expect(m.totalSeconds).toBeCloseTo(m.computeSeconds + 12, 9);
  });

  it('never scales compute below the local time for functions of one vCPU or more', () => {
    const m = modelStep({ computeMs: 1000, invocations: 1, calls: {} }, 3008, {
      perCallMs: 40,
      parallel: {},
    });
    expect(m.computeSeconds).toBe(1);
  });
});

describe('collectPassesFor', () => {
  it.for([
    [100, 1],
    [840, 1],
    [841, 2],
    [2000, 3],
  ] as const)('splits %i s of collect work into %i pass(es) of at most 840 s', ([seconds, passes]) => {
    expect(collectPassesFor(seconds, 900, 60)).toBe(passes);
  });
});

describe('scanTransitions', () => {
  it('counts StartRun, Dispatch, three states per poll, two per collect pass, Finalize and ScanComplete', () => {
    expect(scanTransitions(1, 1)).toBe(2 + 3 + 2 + 2);
    expect(scanTransitions(21, 2)).toBe(2 + 63 + 4 + 2);
  });

  it('polls a 600 s command every 30 s 21 times (the first check comes after one wait)', () => {
    expect(pollsFor(600, 30)).toBe(21);
  });
});

describe('extrapolate', () => {
  const points = [
    { nodes: 1000, value: 150 },
    { nodes: 10_000, value: 1050 },
  ];

  it('returns a measured size as measured', () => {
    expect(extrapolate(points, 1000)).toBe(150);
  });

  it('follows fixed plus per-node cost through the two largest sizes', () => {
    // slope 0.1 per node, intercept 50.
    expect(extrapolate(points, 100_000)).toBeCloseTo(10_050, 9);
  });

  it('goes proportional from a single size and never below zero', () => {
    expect(extrapolate([{ nodes: 1000, value: 10 }], 5000)).toBe(50);
    expect(
      extrapolate(
        [
          { nodes: 1000, value: 100 },
          { nodes: 2000, value: 10 },
        ],
        100_000,
      ),
    ).toBe(0);
  });
});
