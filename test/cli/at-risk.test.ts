import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { readFleetSpec, buildLocalFleet } from '../../src/local/local-fleet.ts';
import { type LocalScanResult, runLocalScan } from '../../src/local/local-scan.ts';
import { makeState, REEXEC_PENDING } from '../core/campaign/campaign-fixtures.ts';
import { runFleetCommand, seedLocalStore } from './fleet-command-harness.ts';

interface JsonNode {
  node: string;
  status: string;
  severity: string | null;
  hangInProgress: boolean;
  findings: string[];
  tags: Record<string, string>;
  lastSeen: string;
  runId: string;
}

/** A real local scan (simulator + dynalite) of 300 nodes, read back by at-risk. */
describe('at-risk on a local scan', () => {
  let dir: string;
  let scan: LocalScanResult;
  const atRisk = (...args: string[]) => runFleetCommand(['at-risk', '--local', '--data-dir', dir, ...args]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fc-at-risk-'));
    scan = await runLocalScan({
      nodes: 300,
      seed: 11,
      faults: 'none',
      dataDir: dir,
      catalog: builtinCatalog(),
    });
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists every AT_RISK and PENDING_REBOOT node as JSON, most urgent first', async () => {
    const { code, stdout, stderr } = await atRisk('--format', 'json');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const nodes = JSON.parse(stdout) as JsonNode[];
    expect(nodes).toHaveLength(scan.summary.byStatus.AT_RISK + scan.summary.byStatus.PENDING_REBOOT);
    for (const n of nodes) {
      expect(['AT_RISK', 'PENDING_REBOOT']).toContain(n.status);
      expect(n).toEqual(
        expect.objectContaining({
          node: expect.any(String),
          findings: expect.any(Array),
          tags: expect.any(Object),
        }),
      );
      expect(n.lastSeen).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(n.runId).toBe(scan.summary.runId);
    }
    const firstCalm = nodes.findIndex((n) => !n.hangInProgress);
    expect(nodes.slice(firstCalm).some((n) => n.hangInProgress)).toBe(false);
  });

  it('filters by tag and minimum severity', async () => {
    const all = JSON.parse((await atRisk('--format', 'json')).stdout) as JsonNode[];
    const { stdout } = await atRisk(
      '--format',
      'json',
      '--tag',
      'cluster=staging',
      '--tag',
      'cluster=batch',
      '--severity',
      'critical',
    );
    const picked = JSON.parse(stdout) as JsonNode[];
    const expected = all.filter(
      (n) => ['staging', 'batch'].includes(n.tags.cluster ?? '') && n.severity === 'critical',
    );
    expect(picked.map((n) => n.node)).toEqual(expected.map((n) => n.node));
    expect(picked.length).toBeGreaterThan(0);
  });

  it('prints the window headline with its next run and only the nodes the window targets', async () => {
    const { code, stdout } = await atRisk('--window', 'prod-eu-1');
    expect(code).toBe(0);
    const headline = stdout.split('\n')[0] ?? '';
    // 02:00 Dublin time: Z in winter, +01:00 (with the UTC time after it) in summer.
    expect(headline).toMatch(
      /^Window prod-eu-1 \(mw-[0-9a-f]{17}\) next runs \d{4}-\d\d-\d\dT02:00(Z|\+01:00 \(\S+Z\)): \d+ nodes at risk$/,
    );
    const json = JSON.parse((await atRisk('--window', 'prod-eu-1', '--format', 'json')).stdout) as {
      window: { name: string; nextExecutionTime: string; complete: boolean; nodes: number };
      nodes: JsonNode[];
    };
    expect(headline).toContain(`: ${json.nodes.length} nodes at risk`);
    expect(json.window).toMatchObject({ name: 'prod-eu-1', complete: true, nodes: json.nodes.length });
    expect(json.nodes.length).toBeGreaterThan(0);
    for (const n of json.nodes) expect(n.tags.cluster).toBe('prod-eu-1');
  });

  it('selects the canary window by its instance ids', async () => {
    const fleet = buildLocalFleet(readFleetSpec(dir)!);
    const canary = fleet.maintenanceWindows.find((w) => w.name === 'canary-nodes')!;
    const json = JSON.parse((await atRisk('--window', canary.windowId, '--format', 'json')).stdout) as {
      nodes: JsonNode[];
    };
    const all = new Set(
      (JSON.parse((await atRisk('--format', 'json')).stdout) as JsonNode[]).map((n) => n.node),
    );
    expect(json.nodes.map((n) => n.node).sort()).toEqual(
      canary.target.values.filter((id) => all.has(id)).sort(),
    );
  });

  it('names close windows when the window is unknown', async () => {
    const { code, stdout, stderr } = await atRisk('--window', 'prod-eu');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^error: no maintenance window named or with id "prod-eu"; did you mean prod-eu-1 \(mw-/,
    );
  });

  it('refuses bad options as usage errors', async () => {
    expect((await atRisk('--status', 'COMPLIANT')).code).toBe(2);
    expect((await atRisk('--severity', 'urgent')).stderr).toBe(
      'error: --severity "urgent": not a severity (expected low, medium, high, critical)\n',
    );
    expect((await atRisk('--format', 'xml')).code).toBe(2);
    expect((await atRisk('--tag', 'cluster')).code).toBe(2);
    expect((await runFleetCommand(['at-risk'])).stderr).toMatch(/choose a store: --local/);
    expect((await runFleetCommand(['at-risk', '--local', '--table', 't'])).code).toBe(2);
  });
});

describe('at-risk on seeded states', () => {
  let dir: string;
  const now = () => new Date('2026-12-01T00:00:00.000Z');
  const atRisk = (...args: string[]) =>
    runFleetCommand(['at-risk', '--local', '--data-dir', dir, ...args], { now });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fc-at-risk-seeded-'));
    await seedLocalStore(dir, [
      {
        runId: 'run-1',
        startedAt: '2026-11-30T07:55:00.000Z',
        states: [
          makeState({
            node: 'i-00000000000000001',
            hostname: '=HYPERLINK("http://evil.example","click")',
            findings: [['RUNC-CVE-2024-21626', 'high']],
            tags: { cluster: '@SUM(A1:A9)', Name: '-2+3' },
          }),
          makeState({ node: 'i-00000000000000002', pending: [REEXEC_PENDING], tags: { cluster: 'prod' } }),
          makeState({ node: 'i-00000000000000003', status: 'UNREACHABLE', tags: { cluster: 'prod' } }),
          makeState({ node: 'i-00000000000000004', tags: { cluster: 'prod' } }),
        ],
      },
    ]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('defuses formulas in CSV while keeping the values', async () => {
    const { code, stdout } = await atRisk('--format', 'csv');
    expect(code).toBe(0);
    const lines = stdout.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'node,hostname,status,severity,hang_in_progress,findings,pending,tags,os,kernel,systemd,last_seen,run_id',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(lines[1]).toContain('Name=-2+3; cluster=@SUM(A1:A9)');
    for (const line of lines) expect(line).not.toMatch(/,[=+\-@]/);
  });

  it('gives a PENDING_REBOOT node its advisory severity and lists other statuses on request', async () => {
    const nodes = JSON.parse((await atRisk('--format', 'json')).stdout) as JsonNode[];
    expect(nodes.map((n) => [n.node, n.status, n.severity])).toEqual([
      ['i-00000000000000001', 'AT_RISK', 'high'],
      ['i-00000000000000002', 'PENDING_REBOOT', 'high'],
    ]);
    const unreachable = JSON.parse(
      (await atRisk('--format', 'json', '--status', 'unreachable')).stdout,
    ) as JsonNode[];
    expect(unreachable.map((n) => n.node)).toEqual(['i-00000000000000003']);
  });

  it('says so when no scan has run in the data directory', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'fc-empty-'));
    try {
      const { code, stderr } = await runFleetCommand(['at-risk', '--local', '--data-dir', empty]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error: no scan data yet; run `scan --local --data-dir .*` first/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
