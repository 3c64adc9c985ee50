import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/core/report/build-report.ts';
import { readReportBaseline } from '../../../src/core/report/report-baseline.ts';
import { renderReportJson } from '../../../src/core/report/render-report-json.ts';
import { nodeState, scanRun } from './report-fixtures.ts';

const T1 = '2025-03-01T00:00:00.000Z';
const T2 = '2025-03-02T00:00:00.000Z';
const NOW = new Date('2025-03-02T12:00:00.000Z');

describe('readReportBaseline', () => {
  it('reads the node list back from report.json, so the next report can name new nodes', () => {
    const first = buildReport({
      runs: [scanRun('r1', T1, 'COMPLETE', { byStatus: { COMPLIANT: 1 } })],
      histories: [[nodeState({ node: 'a', runId: 'r1', at: T1 })]],
      now: NOW,
    });
    const baseline = readReportBaseline(JSON.parse(renderReportJson(first)));
    const second = buildReport({
      runs: [
        scanRun('r1', T1, 'COMPLETE', { byStatus: { COMPLIANT: 1 } }),
        scanRun('r2', T2, 'COMPLETE', { byStatus: { COMPLIANT: 2 } }),
      ],
      histories: [
        [nodeState({ node: 'a', runId: 'r2', at: T2 })],
        [nodeState({ node: 'b', runId: 'r2', at: T2 })],
      ],
      now: NOW,
      ...(baseline ? { baseline } : {}),
    });

    expect(baseline).toMatchObject({ scanRunId: 'r1' });
    expect([...baseline!.nodes]).toEqual(['a']);
    expect(second.changes.newNodes.map((n) => n.node)).toEqual(['b']);
    expect(readReportBaseline(JSON.parse(renderReportJson(second)))).toMatchObject({
      scanRunId: 'r2',
      previousScanRunId: 'r1',
      newNodes: ['b'],
    });
  });

  it.for([
    ['not an object', 'report'],
    ['another format', { formatVersion: 2, scan: { runId: 'r' }, nodes: [] }],
    ['no scan id', { formatVersion: 1, scan: {}, nodes: [] }],
    ['a node without id', { formatVersion: 1, scan: { runId: 'r' }, nodes: [{ status: 'COMPLIANT' }] }],
    ['no node list', { formatVersion: 1, scan: { runId: 'r' } }],
  ] as const)('ignores a file that is %s', ([, json]) => {
    expect(readReportBaseline(json)).toBeUndefined();
  });
});
