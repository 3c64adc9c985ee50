import { describe, expect, it } from 'vitest';
import {
  attentionSortKey,
  attentionStatusPrefix,
  needsAttention,
  nodeFromPartitionKey,
  nodePartitionKey,
} from '../../../src/core/store/table-keys.ts';
import type { Severity, VerdictStatus } from '../../../src/core/verdict.ts';

const f = (severity: Severity, hangInProgress = false) => ({ severity, hangInProgress });

describe('attentionSortKey', () => {
  // An ascending ladder: each key must sort before every later one (most urgent first).
  const ladder: [VerdictStatus, ReturnType<typeof f>[], string][] = [
    ['AT_RISK', [f('low'), f('high', true)], 'n9'],
    ['AT_RISK', [f('critical'), f('low')], 'n1'],
    ['AT_RISK', [f('critical')], 'n2'],
    ['AT_RISK', [f('high'), f('medium')], 'n0'],
    ['AT_RISK', [f('medium')], 'n0'],
    ['AT_RISK', [f('low')], 'n0'],
    ['PENDING_REBOOT', [f('critical')], 'n0'],
    ['PENDING_REBOOT', [], 'n0'],
    ['UNKNOWN', [], 'a'],
    ['UNKNOWN', [], 'b'],
    ['UNREACHABLE', [], 'a'],
  ];
  const keys = ladder.map(([status, findings, node]) => attentionSortKey(status, findings, node)!);

  it('orders status, then hang in progress, then severity, then node', () => {
    for (let i = 0; i < keys.length; i += 1) {
      for (let j = i + 1; j < keys.length; j += 1)
        expect(keys[i]! < keys[j]!, `${keys[i]} < ${keys[j]}`).toBe(true);
    }
  });

  it('gives COMPLIANT no key, so it stays out of the sparse index', () => {
    expect(attentionSortKey('COMPLIANT', [], 'n')).toBeUndefined();
    expect(needsAttention('COMPLIANT')).toBe(false);
  });

  it('selects one status with a begins_with prefix', () => {
    expect(keys[0]!.startsWith(attentionStatusPrefix('AT_RISK')!)).toBe(true);
    expect(keys[6]!.startsWith(attentionStatusPrefix('PENDING_REBOOT')!)).toBe(true);
    expect(keys[6]!.startsWith(attentionStatusPrefix('AT_RISK')!)).toBe(false);
  });
});

describe('node partition key', () => {
  it('round-trips node ids holding the separator', () => {
    expect(nodeFromPartitionKey(nodePartitionKey('host#1'))).toBe('host#1');
    expect(nodeFromPartitionKey('RUN')).toBeUndefined();
  });
});
