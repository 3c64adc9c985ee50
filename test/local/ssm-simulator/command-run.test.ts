import { describe, expect, it } from 'vitest';
import { generateFleet } from '../../../src/local/fleet/generate-fleet.ts';
import {
  type CommandRequest,
  CommandRun,
  resolveLimit,
} from '../../../src/local/ssm-simulator/command-run.ts';
import { TEST_MIX, TEST_PROFILES } from '../fleet/profile-fixtures.ts';

const REQUEST: CommandRequest = {
  documentName: 'FleetComplianceProbe',
  documentVersion: undefined,
  comment: undefined,
  parameters: {},
  instanceIds: [],
  targets: [{ key: 'tag-key', values: ['cluster'] }],
  maxConcurrency: '100%',
  maxErrors: '100%',
  timeoutSeconds: 600,
  executionTimeoutSeconds: 300,
  outputS3BucketName: undefined,
  outputS3KeyPrefix: undefined,
};

describe('CommandRun', () => {
  it('plans 100,000 invocations and summarises them cheaply', () => {
    const fleet = generateFleet({
      profiles: TEST_PROFILES,
      mix: TEST_MIX,
      nodes: 100_000,
      seed: 5,
      faults: 'chaos',
    });
    const started = performance.now();
    const run = new CommandRun({
      commandId: 'c',
      request: { ...REQUEST, maxConcurrency: '10%' },
      requestedAt: 0,
      nodes: fleet.nodes,
      timeoutScale: 1,
    });
    const early = run.summaryAt(1);
    const late = run.summaryAt(3_600_000);
    const elapsed = performance.now() - started;
    expect(early).toMatchObject({ status: 'InProgress', targetCount: 100_000 });
    expect(late).toMatchObject({ status: 'Success', statusDetails: 'Incomplete', completedCount: 100_000 });
    expect(elapsed).toBeLessThan(2000);
  });

  it('scales every timeout with timeoutScale', () => {
    const fleet = generateFleet({
      profiles: TEST_PROFILES,
      mix: TEST_MIX,
      nodes: 1000,
      seed: 5,
      faults: 'chaos',
    });
    const run = new CommandRun({
      commandId: 'c',
      request: REQUEST,
      requestedAt: 0,
      nodes: fleet.nodes,
      timeoutScale: 0.001,
    });
    expect(run.deliveryDeadline).toBe(600);
    expect(run.expiresAt).toBe(900);
    expect(run.summaryAt(899).status).toBe('InProgress');
    expect(run.summaryAt(900).completedCount).toBe(1000);
  });

  it('shows an offline node as Delayed until the delivery timeout', () => {
    const fleet = generateFleet({
      profiles: TEST_PROFILES,
      mix: TEST_MIX,
      nodes: 1000,
      seed: 5,
      faults: 'chaos',
    });
    const offline = fleet.nodes.filter((n) => n.fault === 'offline').slice(0, 1);
    const run = new CommandRun({
      commandId: 'c',
      request: REQUEST,
      requestedAt: 0,
      nodes: offline,
      timeoutScale: 1,
    });
    expect(run.detailAt(0, 0)).toBe('Delayed');
    expect(run.detailAt(0, 599_999)).toBe('Delayed');
    expect(run.detailAt(0, 600_000)).toBe('DeliveryTimedOut');
  });

  it.for([
    ['50', 1000, 'ceil', 50],
    ['10%', 1000, 'ceil', 100],
    ['1%', 10, 'ceil', 1],
    ['0', 1000, 'floor', 0],
    ['10%', 15, 'floor', 1],
    ['100%', 7, 'floor', 7],
  ] as const)('resolves %s of %i targets (%s) to %i', ([value, targets, rounding, expected]) => {
    expect(resolveLimit(value, targets, rounding)).toBe(expected);
  });
});
