import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ENDPOINT_ENV } from '../../../lambdas/shared/env.ts';
import { createQueryHandler } from '../../../lambdas/query/handler.ts';
import type { FunctionUrlEvent, FunctionUrlResult, QueryDeps } from '../../../lambdas/query/query-routes.ts';
import { createSsmClient } from '../../../src/adapters/ssm/create-ssm-client.ts';
import { SsmMaintenanceWindows } from '../../../src/adapters/ssm/maintenance-windows.ts';
import { createTaggingClient } from '../../../src/adapters/tagging/create-tagging-client.ts';
import { planCampaign } from '../../../src/core/campaign/plan-campaign.ts';
import { generateFleet } from '../../../src/local/fleet/generate-fleet.ts';
import { type LocalStore, openLocalStore } from '../../../src/local/local-environment.ts';
import {
  type SsmSimulator,
  startSsmSimulator,
} from '../../../src/local/ssm-simulator/start-ssm-simulator.ts';
import { ENV } from '../../../src/shared/runtime-settings.ts';
import { runFleetCommand, seedLocalStore } from '../../cli/fleet-command-harness.ts';
import { makeState, REEXEC_PENDING, T_PLAN } from '../../core/campaign/campaign-fixtures.ts';
import { TEST_MIX, TEST_PROFILES } from '../../local/fleet/profile-fixtures.ts';

const NOW = new Date('2026-12-01T00:00:00.000Z');
const silent = { info() {}, warn() {}, error() {} };
const get = (path: string, query = ''): FunctionUrlEvent => ({
  rawPath: path,
  rawQueryString: query,
  requestContext: { http: { method: 'GET' } },
});
const json = (r: FunctionUrlResult) => JSON.parse(r.body) as unknown;

/**
 * The query Lambda over a local store seeded with nodes of the simulated fleet (so maintenance
 * windows resolve through the simulator with the real SDK).
 */
describe('query handler', () => {
  let dir: string;
  let local: LocalStore;
  let simulator: SsmSimulator;
  let cliJson: string;
  const fleet = generateFleet({ profiles: TEST_PROFILES, mix: TEST_MIX, nodes: 60, seed: 9, faults: 'none' });
  const clients: { destroy(): void }[] = [];
  let deps: QueryDeps;
  const logged: unknown[] = [];
  const handler = () =>
    createQueryHandler({ deps, logger: { ...silent, error: (...args) => logged.push(args) } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fc-query-'));
    const states = fleet.nodes.slice(0, 30).map((n, i) =>
      i % 5 === 0
        ? makeState({
            node: n.instanceId,
            pending: [REEXEC_PENDING],
            tags: { cluster: n.tags.cluster as string },
          })
        : makeState({
            node: n.instanceId,
            hostname: i === 1 ? '=cmd|"/C calc"!A0' : `host-${i}`,
            findings: [['RUNC-CVE-2024-21626', i % 3 === 0 ? 'critical' : 'high', i === 7]],
            tags: { cluster: n.tags.cluster as string },
          }),
    );
    await seedLocalStore(dir, [{ runId: 'run-1', startedAt: '2026-11-30T07:55:00.000Z', states }]);
    // The CLI's answer, for comparison (the store is opened by one process at a time).
    cliJson = (
      await runFleetCommand(['at-risk', '--local', '--data-dir', dir, '--format', 'json'], { now: () => NOW })
    ).stdout;
    local = await openLocalStore(dir);
    simulator = await startSsmSimulator({ fleet });
    const ssm = createSsmClient({ endpoint: simulator.endpoint });
    const tagging = createTaggingClient({ endpoint: simulator.endpoint });
    clients.push(ssm, tagging);
    const windows = new SsmMaintenanceWindows({ ssm, tagging });
    deps = {
      store: local.store,
      windows: async () => windows,
      severityOf: async () => (id) => (id === 'SYSTEMD-DBUS-COOKIE-OVERFLOW' ? 'high' : undefined),
      now: () => NOW,
    };
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await simulator.stop();
    await local.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers GET /at-risk with the same JSON as the CLI', async () => {
    const r = await handler()(get('/at-risk'));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json(r)).toEqual(JSON.parse(cliJson));
    expect(r.headers['x-total-count']).toBe('30');
  });

  it('filters by repeated tags, severity and status, and pages with limit and offset', async () => {
    const cluster = fleet.nodes[0]!.tags.cluster as string;
    const r = await handler()(
      get('/at-risk', `tag=cluster%3D${encodeURIComponent(cluster)}&severity=critical`),
    );
    const nodes = json(r) as { node: string; severity: string; tags: Record<string, string> }[];
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) expect([n.severity, n.tags.cluster]).toEqual(['critical', cluster]);
    const pending = json(await handler()(get('/at-risk', 'status=PENDING_REBOOT'))) as unknown[];
    expect(pending).toHaveLength(6);
    const all = json(await handler()(get('/at-risk'))) as { node: string }[];
    const page = await handler()(get('/at-risk', 'limit=10&offset=25'));
    expect((json(page) as { node: string }[]).map((n) => n.node)).toEqual(
      all.slice(25, 35).map((n) => n.node),
    );
    expect(page.headers['x-total-count']).toBe('30');
  });

  it('wraps the nodes with the window when one is asked for', async () => {
    const r = await handler()(get('/at-risk', 'window=canary-nodes'));
    const body = json(r) as {
      window: { name: string; nextExecutionTime: string };
      nodes: { node: string }[];
    };
    const canary = fleet.maintenanceWindows.find((w) => w.name === 'canary-nodes')!;
    expect(body.window.name).toBe('canary-nodes');
    expect(body.window.nextExecutionTime).toMatch(/T14:00Z$/);
    const seeded = new Set(fleet.nodes.slice(0, 30).map((n) => n.instanceId));
    expect(body.nodes.map((n) => n.node).sort()).toEqual(
      canary.target.values.filter((id) => seeded.has(id)).sort(),
    );
  });

  it('answers CSV with formulas defused', async () => {
    const r = await handler()(get('/at-risk', 'format=csv'));
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.body).toContain(`"'=cmd|""/C calc""!A0"`);
  });

  it.each<[string, FunctionUrlEvent, number, RegExp]>([
    ['a bad severity', get('/at-risk', 'severity=urgent'), 400, /^severity "urgent": not a severity/],
    ['COMPLIANT', get('/at-risk', 'status=COMPLIANT'), 400, /compliant nodes are not in the at-risk list/],
    ['a bad format', get('/at-risk', 'format=xml'), 400, /expected json or csv/],
    ['a bad limit', get('/at-risk', 'limit=-1'), 400, /^limit "-1"/],
    ['an unknown window', get('/at-risk', 'window=prod-eu'), 404, /did you mean prod-eu-1/],
    [
      'an unknown path',
      get('/nodes'),
      404,
      /^no route \/nodes; use GET \/at-risk or GET \/campaign\/status$/,
    ],
    ['a POST', { ...get('/at-risk'), requestContext: { http: { method: 'POST' } } }, 405, /use GET/],
  ])('maps %s to a 4xx status with a message', async (_, event, status, message) => {
    const r = await handler()(event);
    expect(r.statusCode).toBe(status);
    expect((json(r) as { error: string }).error).toMatch(message);
  });

  it('logs an unexpected failure and answers 500 without its details', async () => {
    const broken = createQueryHandler({
      deps: {
        ...deps,
        store: { ...deps.store, listCurrentAttention: () => Promise.reject(new Error('socket hang up')) },
      },
      logger: { ...silent, error: (...args: unknown[]) => logged.push(args) },
    });
    const r = await broken(get('/at-risk'));
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('socket');
    const [message, extra] = logged.at(-1) as [string, { error: Error; path: string }];
    expect([message, extra.error.message, extra.path]).toEqual([
      'query failed',
      'socket hang up',
      '/at-risk',
    ]);
  });

  it('answers GET /campaign/status: 404 before a plan, the progress after', async () => {
    expect((await handler()(get('/campaign/status'))).statusCode).toBe(404);
    const states = (await local.store.listCurrentAttention({ now: NOW })).nodes;
    await local.store.saveCampaign(
      planCampaign(states, { id: 'cmp-q', now: T_PLAN, maxUnavailable: { count: 2 } }),
    );
    const r = await handler()(get('/campaign/status/'));
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({
      campaign: { id: 'cmp-q', nodes: 30 },
      overall: { 'not-rescanned': 30, clean: false },
    });
    const csv = await handler()(get('/campaign/status', 'format=csv'));
    expect(csv.body.split('\r\n')[0]).toBe(
      'wave,node,hostname,group,planned_status,progress,status,last_seen,findings',
    );
  });

  it('builds its clients from the Lambda environment', async () => {
    const fromEnv = createQueryHandler({
      env: {
        [ENV.tableName]: local.tableName,
        [ENV.documentName]: 'FleetComplianceProbe',
        AWS_REGION: 'us-east-1',
        [LOCAL_ENDPOINT_ENV.dynamodb]: local.dynamoEndpoint,
        [LOCAL_ENDPOINT_ENV.ssm]: simulator.endpoint,
      },
      logger: silent,
    });
    const r = await fromEnv(get('/at-risk', 'window=canary-nodes'));
    expect(r.statusCode).toBe(200);
    expect((json(r) as { window: { name: string } }).window.name).toBe('canary-nodes');
    const bad = await createQueryHandler({ env: {}, logger: silent })(get('/at-risk'));
    expect(bad.statusCode).toBe(500);
  });
});
