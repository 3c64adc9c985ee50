import { describe, expect, it } from 'vitest';
import { resolveScanState } from '../../../src/core/report/resolve-scan-state.ts';
import { nodeState } from './report-fixtures.ts';

const item = (runId: string, status: 'COMPLIANT' | 'AT_RISK' = 'COMPLIANT', day = 1) =>
  nodeState({
    node: 'n',
    runId,
    at: `2025-03-0${day}T00:00:00.000Z`,
    ...(status === 'AT_RISK' ? { findings: [['RUNC-CVE-2024-21626', 'high']] as const } : {}),
  });

describe('resolveScanState', () => {
  it.for([
    {
      case: 'a steady node (one item, rewritten by the scan)',
      history: [item('L', 'COMPLIANT', 3)],
      expected: { current: 'L', previous: undefined, rescannedBy: undefined },
    },
    {
      case: 'a node that changed in the scan',
      history: [item('L', 'AT_RISK', 3), item('P', 'COMPLIANT', 2)],
      expected: { current: 'L', previous: 'P', rescannedBy: undefined },
    },
    {
      case: 'a node the scan did not see',
      history: [item('P', 'AT_RISK', 2), item('O', 'COMPLIANT', 1)],
      expected: { current: undefined, previous: 'P', rescannedBy: undefined },
    },
    {
      case: 'a node a newer scan changed after the scan',
      history: [item('N', 'AT_RISK', 4), item('L', 'COMPLIANT', 3), item('P', 'AT_RISK', 2)],
      expected: { current: 'L', previous: 'P', rescannedBy: undefined },
    },
    {
      case: "a steady node whose item a newer scan rewrote (the scan's own item is gone)",
      history: [item('N', 'COMPLIANT', 4), item('P', 'AT_RISK', 2)],
      expected: { current: 'N', previous: 'P', rescannedBy: 'N' },
    },
    {
      case: 'no history',
      history: [],
      expected: { current: undefined, previous: undefined, rescannedBy: undefined },
    },
  ])('finds the state of $case', ({ history, expected }) => {
    const states = resolveScanState(history, 'L', new Set(['N']));

    expect({
      current: states.current?.runId,
      previous: states.previous?.runId,
      rescannedBy: states.rescannedBy,
    }).toEqual(expected);
  });
});
