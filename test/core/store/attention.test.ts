import { describe, expect, it } from 'vitest';
import {
  compareAttention,
  isExpired,
  nodesToConfirm,
  pickLatestByNode,
  planAttentionQueries,
} from '../../../src/core/store/attention.ts';
import { buildNodeState } from '../../../src/core/store/node-state.ts';
import { makeFinding, makeVerdict } from './store-fixtures.ts';

const at = (iso: string) => new Date(iso);
const state = (node: string, runId: string, seen: string, overrides = {}) =>
  buildNodeState(makeVerdict({ node, ...overrides }), { runId, lastSeen: at(seen), historyRetentionDays: 1 });

describe('planAttentionQueries', () => {
  it('reads each run partition once when every status is wanted', () => {
    expect(planAttentionQueries(['r1', 'r2'])).toEqual([
      { runId: 'r1', partitionKey: 'RUN#r1' },
      { runId: 'r2', partitionKey: 'RUN#r2' },
    ]);
  });

  it('reads one prefix per wanted status and ignores COMPLIANT (never indexed)', () => {
    expect(planAttentionQueries(['r1', 'r1'], ['PENDING_REBOOT', 'COMPLIANT', 'AT_RISK'])).toEqual([
      { runId: 'r1', partitionKey: 'RUN#r1', sortKeyPrefix: '1#' },
      { runId: 'r1', partitionKey: 'RUN#r1', sortKeyPrefix: '2#' },
    ]);
    expect(planAttentionQueries(['r1'], ['COMPLIANT'])).toEqual([]);
  });
});

describe('pickLatestByNode', () => {
  it('keeps the newest lastSeen per node', () => {
    const old = state('a', 'r1', '2025-03-01T00:00:00Z');
    const newer = state('a', 'r2', '2025-03-01T06:00:00Z', { status: 'PENDING_REBOOT' });
    const other = state('b', 'r1', '2025-03-01T00:00:00Z');
    expect(pickLatestByNode([newer, old, other], at('2025-03-01T07:00:00Z'))).toEqual([newer, other]);
    expect(pickLatestByNode([old, newer, other], at('2025-03-01T07:00:00Z'))).toEqual([newer, other]);
  });

  it('drops items whose ttl has passed even though DynamoDB has not deleted them yet', () => {
    const s = state('a', 'r1', '2025-03-01T00:00:00Z');
    expect(isExpired(s, at('2025-03-01T23:59:59Z'))).toBe(false);
    expect(isExpired(s, at('2025-03-02T00:00:00Z'))).toBe(true);
    expect(pickLatestByNode([s], at('2025-03-02T00:00:00Z'))).toEqual([]);
  });
});

describe('compareAttention', () => {
  it('lists at-risk before pending, hang before critical before high', () => {
    const seen = '2025-03-01T00:00:00Z';
    const pending = state('a', 'r', seen, { status: 'PENDING_REBOOT', findings: [] });
    const high = state('b', 'r', seen, { findings: [makeFinding('X', 'high')] });
    const critical = state('c', 'r', seen, { findings: [makeFinding('X', 'critical')] });
    const hang = state('d', 'r', seen, { findings: [makeFinding('X', 'medium', true)] });
    expect([pending, high, critical, hang].sort(compareAttention).map((s) => s.node)).toEqual([
      'd',
      'c',
      'b',
      'a',
    ]);
  });
});

describe('nodesToConfirm', () => {
  it('names nodes whose newest attention item is from an older run', () => {
    const seen = '2025-03-01T00:00:00Z';
    expect(nodesToConfirm([state('a', 'r1', seen), state('b', 'r2', seen)], 'r2')).toEqual(['a']);
  });
});
