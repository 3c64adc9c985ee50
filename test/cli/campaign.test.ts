import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import type { CampaignPlan } from '../../src/core/campaign/campaign-plan.ts';
import type { CampaignStatus } from '../../src/core/campaign/campaign-status.ts';
import type { WaveExport } from '../../src/core/campaign/campaign-export.ts';
import { runLocalScan } from '../../src/local/local-scan.ts';
import { makeState, REEXEC_PENDING } from '../core/campaign/campaign-fixtures.ts';
import { runFleetCommand, seedLocalStore } from './fleet-command-harness.ts';

describe('campaign plan on a local scan', () => {
  let dir: string;
  const run = (...args: string[]) => runFleetCommand([...args, '--local', '--data-dir', dir]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fc-campaign-'));
    await runLocalScan({ nodes: 250, seed: 5, faults: 'none', dataDir: dir, catalog: builtinCatalog() });
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('plans every at-risk node exactly once, within each cluster allowance, and saves the plan', async () => {
    const atRisk = JSON.parse((await run('at-risk', '--format', 'json')).stdout) as { node: string }[];
    const { code, stdout, stderr } = await run(
      'campaign',
      'plan',
      '--max-unavailable',
      '25%',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as CampaignPlan;
    expect(stderr).toContain(`saved campaign ${plan.id}`);
    const planned = plan.waves.flatMap((w) => w.nodes.map((n) => n.node));
    expect(planned.sort()).toEqual(atRisk.map((n) => n.node).sort());
    const allowance = new Map(plan.groups.map((g) => [g.group, g.allowance]));
    for (const g of plan.groups) expect(g.allowance).toBe(Math.max(1, Math.ceil((25 * g.planned) / 100)));
    for (const w of plan.waves)
      for (const g of w.groups) expect(g.nodes).toBeLessThanOrEqual(allowance.get(g.group)!);
    expect(plan.settings).toMatchObject({
      groupBy: 'cluster',
      maxUnavailable: { percent: 25 },
      groupSize: 'plan',
    });
    expect(plan.waves[0]?.nodes[0]).toEqual(
      expect.objectContaining({
        node: expect.any(String),
        actions: expect.any(Array),
        why: expect.any(String),
      }),
    );

    const status = JSON.parse((await run('campaign', 'status', '--format', 'json')).stdout) as CampaignStatus;
    expect(status.campaign.id).toBe(plan.id);
    expect(status.overall).toMatchObject({
      nodes: planned.length,
      remediated: 0,
      'not-rescanned': planned.length,
    });
  });

  it('records the window a plan was made for and plans only its nodes', async () => {
    const { code, stdout, stderr } = await run(
      'campaign',
      'plan',
      '--window',
      'staging',
      '--format',
      'json',
      '--dry-run',
    );
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as CampaignPlan;
    expect(plan.settings.selection?.window?.name).toBe('staging');
    expect(plan.groups.map((g) => g.group)).toEqual(['staging']);
    expect(stderr).toMatch(/^Window staging \(mw-[0-9a-f]{17}\) next runs .*: \d+ nodes at risk$/m);
    expect(stderr).toContain('not saved');
  });

  it('sizes percent allowances on the whole cluster with --group-size fleet', async () => {
    const plan = JSON.parse(
      (
        await run(
          'campaign',
          'plan',
          '--max-unavailable',
          '10%',
          '--group-size',
          'fleet',
          '--format',
          'json',
          '--dry-run',
        )
      ).stdout,
    ) as CampaignPlan;
    expect(plan.settings.groupSize).toBe('fleet');
    for (const g of plan.groups) {
      expect(g.size).toBeGreaterThanOrEqual(g.planned);
      expect(g.allowance).toBe(Math.max(1, Math.ceil(g.size / 10)));
    }
    expect(plan.groups.some((g) => g.size > g.planned)).toBe(true);
  });

  it('prints a markdown runbook and a CSV', async () => {
    const md = (await run('campaign', 'plan', '--format', 'markdown', '--dry-run')).stdout;
    expect(md).toMatch(/^# Reboot-upgrade campaign cmp-\d{8}T\d{4}Z-[0-9a-f]{6}\n/);
    expect(md).toContain('## Wave 1 of ');
    const csv = (await run('campaign', 'plan', '--format', 'csv', '--dry-run')).stdout;
    expect(csv.split('\r\n')[0]).toBe(
      'wave,node,hostname,group,status,urgency,severity,hang_in_progress,drain,disruption,steps,findings,pending,why,notes',
    );
  });

  it('refuses bad settings as usage errors', async () => {
    expect((await run('campaign', 'plan', '--max-unavailable', '0')).code).toBe(2);
    expect((await run('campaign', 'plan', '--max-unavailable', '150%')).stderr).toBe(
      'error: --max-unavailable "150%": a percentage must be between 1% and 100%\n',
    );
    expect((await run('campaign', 'plan', '--group-size', 'cluster')).code).toBe(2);
    expect((await run('campaign', 'plan', '--id', 'bad#id')).code).toBe(2);
  });
});

describe('campaign status and export on seeded scans', () => {
  let dir: string;
  const now = () => new Date('2026-12-02T00:00:00.000Z');
  const run = (...args: string[]) => runFleetCommand([...args, '--local', '--data-dir', dir], { now });
  const risky = (node: string, cluster: string, lastSeen?: string) =>
    makeState({
      node,
      findings: [['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high']],
      tags: { cluster },
      ...(lastSeen ? { lastSeen } : {}),
    });
  const nodes = ['i-000000000000000a1', 'i-000000000000000a2', 'i-000000000000000b1', 'i-000000000000000b2'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fc-campaign-status-'));
    await seedLocalStore(dir, [
      {
        runId: 'run-1',
        startedAt: '2026-11-30T07:55:00.000Z',
        states: [
          risky(nodes[0]!, 'a'),
          risky(nodes[1]!, 'a'),
          risky(nodes[2]!, 'b'),
          makeState({ node: nodes[3]!, pending: [REEXEC_PENDING], tags: { cluster: 'b' } }),
        ],
      },
    ]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('has nothing to report before a plan is saved', async () => {
    const { code, stderr } = await run('campaign', 'status');
    expect(code).toBe(1);
    expect(stderr).toBe('error: no campaign plan saved yet; make one with `campaign plan`\n');
  });

  it('follows the plan through a later scan, per wave and overall', async () => {
    const plan = JSON.parse(
      (await run('campaign', 'plan', '--id', 'cmp-seeded', '--format', 'json')).stdout,
    ) as CampaignPlan;
    expect(plan.waves.map((w) => w.nodes.map((n) => n.node))).toEqual([
      [nodes[0], nodes[2]],
      [nodes[1], nodes[3]],
    ]);
    const later = '2026-12-01T08:00:00.000Z';
    await seedLocalStore(dir, [
      {
        runId: 'run-2',
        startedAt: '2026-12-01T07:55:00.000Z',
        states: [
          makeState({ node: nodes[0]!, tags: { cluster: 'a' }, lastSeen: later }),
          makeState({ node: nodes[2]!, tags: { cluster: 'b' }, lastSeen: later }),
          makeState({ node: nodes[1]!, pending: [REEXEC_PENDING], tags: { cluster: 'a' }, lastSeen: later }),
          risky('i-000000000000000c1', 'c', later),
        ],
      },
    ]);
    const status = JSON.parse((await run('campaign', 'status', '--format', 'json')).stdout) as CampaignStatus;
    expect(status.waves.map((w) => [w.wave, w.state, w.counts.remediated])).toEqual([
      [1, 'done', 2],
      [2, 'in-progress', 0],
    ]);
    expect(status.overall).toMatchObject({
      nodes: 4,
      remediated: 2,
      'pending-reboot': 1,
      'not-rescanned': 1,
      percentRemediated: 50,
      clean: false,
      currentWave: 2,
    });
    expect(status.outsidePlan).toEqual({ count: 1, nodes: ['i-000000000000000c1'] });

    const table = (await run('campaign', 'status')).stdout;
    expect(table.split('\n')[0]).toBe(
      'Campaign cmp-seeded (2026-12-02T00:00:00.000Z): 2 of 4 remediated (50%), current wave 2 of 2',
    );
    expect(table).toContain('1 node(s) need attention but are not in this plan');
    const csv = (await run('campaign', 'status', '--format', 'csv')).stdout.split('\r\n').filter(Boolean);
    expect(csv).toHaveLength(5);
  });

  it('exports a wave as SendCommand inputs', async () => {
    const { code, stdout } = await run('campaign', 'export', '--wave', '2');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as WaveExport;
    expect(out).toMatchObject({ campaign: 'cmp-seeded', wave: 2, format: 'run-command', manual: [] });
    expect(out.requests.flatMap((r) => r.InstanceIds as string[]).sort()).toEqual(
      [nodes[1], nodes[3]].sort(),
    );
    expect((await run('campaign', 'export', '--wave', '3')).stderr).toBe(
      'error: --wave "3": the plan has waves 1 to 2\n',
    );
    expect((await run('campaign', 'export', '--wave', '1', '--format', 'maintenance-window-task')).code).toBe(
      2,
    );
  });
});
