import { describe, expect, it } from 'vitest';
import { compareAtRisk, toAtRiskEntry } from '../../../src/core/at-risk/at-risk-entry.ts';
import {
  type AtRiskFilter,
  matchesAtRiskFilter,
  parseSeverity,
  parseStatuses,
  parseTagFilters,
} from '../../../src/core/at-risk/at-risk-filter.ts';
import { makeState, REEXEC_PENDING } from '../campaign/campaign-fixtures.ts';

const severityOf = (id: string) => (id === 'SYSTEMD-DBUS-COOKIE-OVERFLOW' ? 'high' : undefined);

describe('parseStatuses', () => {
  it('reads a comma list in any case, with - for _', () => {
    expect(parseStatuses('at-risk, Pending_Reboot,AT_RISK')).toEqual(['AT_RISK', 'PENDING_REBOOT']);
  });

  it('refuses COMPLIANT: the attention index does not hold compliant nodes', () => {
    expect(() => parseStatuses('COMPLIANT')).toThrow(/compliant nodes are not in the at-risk list/);
  });

  it('names an unknown status and the valid ones', () => {
    expect(() => parseStatuses('BROKEN')).toThrow(
      'status "BROKEN": not a status (expected AT_RISK, PENDING_REBOOT',
    );
    expect(() => parseStatuses(' , ')).toThrow(/names no status/);
  });
});

describe('parseSeverity and parseTagFilters', () => {
  it('reads severities case-insensitively and refuses others', () => {
    expect(parseSeverity('HIGH')).toBe('high');
    expect(() => parseSeverity('urgent')).toThrow(/not a severity/);
  });

  it('ORs values of one key, keeps values holding =, refuses a missing key', () => {
    expect(parseTagFilters(['cluster=a', 'az=x', 'cluster=b', 'expr=a=b'])).toEqual([
      { key: 'cluster', values: ['a', 'b'] },
      { key: 'az', values: ['x'] },
      { key: 'expr', values: ['a=b'] },
    ]);
    expect(() => parseTagFilters(['=v'])).toThrow(/expected key=value/);
    expect(() => parseTagFilters(['novalue'])).toThrow(/expected key=value/);
  });
});

describe('matchesAtRiskFilter', () => {
  const filter = (over: Partial<AtRiskFilter>): AtRiskFilter => ({
    statuses: ['AT_RISK', 'PENDING_REBOOT'],
    tags: [],
    ...over,
  });
  const high = toAtRiskEntry(
    makeState({ node: 'a', findings: [['RUNC-CVE-2024-21626', 'high']], tags: { cluster: 'x', az: '1' } }),
  );
  const pending = toAtRiskEntry(
    makeState({ node: 'p', pending: [REEXEC_PENDING], tags: { cluster: 'y' } }),
    severityOf,
  );
  const unrated = toAtRiskEntry(
    makeState({ node: 'u', pending: [{ ...REEXEC_PENDING, id: 'ACME-1' }] }),
    severityOf,
  );

  it('keeps a node at or above the minimum severity, drops one without a severity', () => {
    expect(matchesAtRiskFilter(high, filter({ minSeverity: 'high' }))).toBe(true);
    expect(matchesAtRiskFilter(high, filter({ minSeverity: 'critical' }))).toBe(false);
    expect(matchesAtRiskFilter(pending, filter({ minSeverity: 'high' }))).toBe(true);
    expect(matchesAtRiskFilter(unrated, filter({ minSeverity: 'low' }))).toBe(false);
  });

  it('ANDs tag keys and ORs the values of one key', () => {
    expect(
      matchesAtRiskFilter(
        high,
        filter({
          tags: [
            { key: 'cluster', values: ['x', 'y'] },
            { key: 'az', values: ['1'] },
          ],
        }),
      ),
    ).toBe(true);
    expect(
      matchesAtRiskFilter(
        high,
        filter({
          tags: [
            { key: 'cluster', values: ['x'] },
            { key: 'az', values: ['2'] },
          ],
        }),
      ),
    ).toBe(false);
    expect(matchesAtRiskFilter(high, filter({ tags: [{ key: 'missing', values: ['x'] }] }))).toBe(false);
  });

  it('does not read inherited properties as tags', () => {
    expect(
      matchesAtRiskFilter(
        high,
        filter({ tags: [{ key: 'constructor', values: ['function Object() { [native code] }'] }] }),
      ),
    ).toBe(false);
  });
});

describe('toAtRiskEntry and compareAtRisk', () => {
  it('gives a PENDING_REBOOT node the severity of its pending advisory', () => {
    const entry = toAtRiskEntry(makeState({ node: 'p', pending: [REEXEC_PENDING] }), severityOf);
    expect(entry.severity).toBe('high');
    expect(entry.hangInProgress).toBe(false);
  });

  it('sorts a hang first, then severity, then AT_RISK before PENDING_REBOOT, then node id', () => {
    const entries = [
      makeState({ node: 'n-pending-high', pending: [REEXEC_PENDING] }),
      makeState({ node: 'n-low', findings: [['CGROUP-DRIVER-MISMATCH', 'low']] }),
      makeState({ node: 'n-high-b', findings: [['RUNC-CVE-2024-21626', 'high']] }),
      makeState({ node: 'n-high-a', findings: [['RUNC-CVE-2024-21626', 'high']] }),
      makeState({ node: 'n-hang', findings: [['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'medium', true]] }),
      makeState({ node: 'n-critical', findings: [['RUNC-CVE-2019-5736', 'critical']] }),
      makeState({ node: 'n-unknown', status: 'UNKNOWN' }),
    ].map((s) => toAtRiskEntry(s, severityOf));
    expect(entries.sort(compareAtRisk).map((e) => e.node)).toEqual([
      'n-hang',
      'n-critical',
      'n-high-a',
      'n-high-b',
      'n-pending-high',
      'n-low',
      'n-unknown',
    ]);
  });
});
