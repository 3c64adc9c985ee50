import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSsmClient } from '../../../src/adapters/ssm/create-ssm-client.ts';
import { SsmMaintenanceWindows } from '../../../src/adapters/ssm/maintenance-windows.ts';
import { createTaggingClient } from '../../../src/adapters/tagging/create-tagging-client.ts';
import { AmbiguousWindowNameError } from '../../../src/core/at-risk/ambiguous-window-name-error.ts';
import { DEFAULT_AT_RISK_STATUSES } from '../../../src/core/at-risk/at-risk-filter.ts';
import type { MaintenanceWindowDirectory } from '../../../src/core/at-risk/maintenance-window.ts';
import { MaintenanceWindowNotFoundError } from '../../../src/core/at-risk/maintenance-window-not-found-error.ts';
import { queryAtRisk } from '../../../src/core/at-risk/query-at-risk.ts';
import type { FleetStore } from '../../../src/core/store/fleet-store.ts';
import type { NodeState } from '../../../src/core/store/node-state.ts';
import { generateFleet } from '../../../src/local/fleet/generate-fleet.ts';
import type { MaintenanceWindowSpec, VirtualNode } from '../../../src/local/fleet/virtual-fleet.ts';
import { startSsmSimulator } from '../../../src/local/ssm-simulator/start-ssm-simulator.ts';
import { makeState } from '../../core/campaign/campaign-fixtures.ts';
import { TEST_MIX, TEST_PROFILES } from '../../local/fleet/profile-fixtures.ts';
import { type Harness, startHarness } from '../../local/ssm-simulator/simulator-harness.ts';

/**
 * The window adapter with the real SSM and Tagging API clients against the local simulator:
 * one window per cluster targeting tag:cluster, and a canary window on instance ids. The clock
 * is fixed at Monday 2025-01-06 12:00 UTC (simulator-harness T0).
 */
describe('SsmMaintenanceWindows (simulator)', () => {
  let h: Harness;
  let windows: SsmMaintenanceWindows;
  let tagging: ReturnType<typeof createTaggingClient>;
  const windowNamed = (name: string) =>
    h.fleet.maintenanceWindows.find((w) => w.name === name) as MaintenanceWindowSpec;

  beforeAll(async () => {
    h = await startHarness({ nodes: 300 });
    tagging = createTaggingClient({ endpoint: h.simulator.endpoint });
    windows = new SsmMaintenanceWindows({ ssm: h.ssm, tagging });
  });
  afterAll(async () => {
    tagging.destroy();
    await h.stop();
  });

  it('finds a window by name with its tag target and its next run', async () => {
    const w = await windows.findWindow('prod-eu-1');
    expect(w).toMatchObject({
      windowId: windowNamed('prod-eu-1').windowId,
      name: 'prod-eu-1',
      schedule: 'cron(0 2 ? * TUE *)',
      scheduleTimezone: 'Europe/Dublin',
      nextExecutionTime: '2025-01-07T02:00Z',
      targets: [{ resourceType: 'INSTANCE', filters: [{ key: 'tag:cluster', values: ['prod-eu-1'] }] }],
    });
  });

  it('finds the same window by id', async () => {
    const id = windowNamed('prod-us-1').windowId;
    expect(await windows.findWindow(id)).toMatchObject({
      name: 'prod-us-1',
      nextExecutionTime: '2025-01-08T03:00-05:00',
    });
  });

  it('names close windows when the name is unknown, and when the id is', async () => {
    const byName = await windows.findWindow('prod-eu1').catch((e: unknown) => e);
    expect(byName).toBeInstanceOf(MaintenanceWindowNotFoundError);
    expect((byName as Error).message).toMatch(
      new RegExp(
        `^no maintenance window named or with id "prod-eu1"; did you mean prod-eu-1 \\(${windowNamed('prod-eu-1').windowId}\\)`,
      ),
    );
    const byId = await windows.findWindow('mw-00000000000000000').catch((e: unknown) => e);
    expect(byId).toBeInstanceOf(MaintenanceWindowNotFoundError);
  });

  it('lists every node carrying a tag through GetResources, pages included', async () => {
    const expected = h.fleet.nodes.filter((n) => n.tags.cluster === 'prod-us-1').map((n) => n.instanceId);
    expect(expected.length).toBeGreaterThan(50);
    expect([...(await windows.findTaggedNodes('cluster', ['prod-us-1']))].sort()).toEqual(expected.sort());
    expect((await windows.findTaggedNodes('cluster', [])).size).toBe(h.fleet.nodes.length);
  });

  describe('intersected with stored at-risk nodes', () => {
    /** Every third node at risk; nodes scanned by instance id carry no stored tags. */
    let states: NodeState[];
    const atRiskNodes = (): VirtualNode[] => h.fleet.nodes.filter((n) => n.index % 3 === 0);
    const store = (): Pick<FleetStore, 'listCurrentAttention'> => ({
      listCurrentAttention: async () => ({ runs: { newer: [] }, nodes: states }),
    });
    const counting = (): { directory: MaintenanceWindowDirectory; lookups: string[] } => {
      const lookups: string[] = [];
      return {
        lookups,
        directory: {
          findWindow: (w) => windows.findWindow(w),
          findTaggedNodes: (key, values) => {
            lookups.push(`${key}=${values.join(',')}`);
            return windows.findTaggedNodes(key, values);
          },
        },
      };
    };

    beforeAll(() => {
      states = atRiskNodes().map((n) =>
        makeState({
          node: n.instanceId,
          findings: [['RUNC-CVE-2024-21626', 'high']],
          tags: n.index % 2 === 0 ? { cluster: n.tags.cluster as string } : {},
        }),
      );
    });

    it('selects the tag-targeted window: stored tags where kept, the Tagging API for the rest', async () => {
      const { directory, lookups } = counting();
      const result = await queryAtRisk(
        { store: store(), windows: directory },
        { filter: { statuses: DEFAULT_AT_RISK_STATUSES, tags: [] }, window: 'batch', now: new Date() },
      );
      const expected = atRiskNodes()
        .filter((n) => n.tags.cluster === 'batch')
        .map((n) => n.instanceId);
      expect(expected.length).toBeGreaterThan(3);
      expect(result.entries.map((e) => e.node).sort()).toEqual(expected.sort());
      expect(lookups).toEqual(['cluster=batch']);
      expect(result.window).toMatchObject({
        name: 'batch',
        complete: true,
        nodes: expected.length,
        tagLookups: 1,
      });
    });

    it('needs no tag lookup when every node has the key stored', async () => {
      const saved = states;
      states = states.filter((s) => 'cluster' in s.tags);
      try {
        const { directory, lookups } = counting();
        const result = await queryAtRisk(
          { store: store(), windows: directory },
          { filter: { statuses: DEFAULT_AT_RISK_STATUSES, tags: [] }, window: 'staging', now: new Date() },
        );
        expect(lookups).toEqual([]);
        expect(result.entries.every((e) => e.tags.cluster === 'staging')).toBe(true);
      } finally {
        states = saved;
      }
    });

    it('selects the canary window by instance id, whatever the tags', async () => {
      const canary = windowNamed('canary-nodes');
      const { directory, lookups } = counting();
      const result = await queryAtRisk(
        { store: store(), windows: directory },
        { filter: { statuses: DEFAULT_AT_RISK_STATUSES, tags: [] }, window: 'canary-nodes', now: new Date() },
      );
      const atRisk = new Set(states.map((s) => s.node));
      const expected = canary.target.values.filter((id) => atRisk.has(id));
      expect(expected.length).toBeGreaterThan(0);
      expect(result.entries.map((e) => e.node).sort()).toEqual([...expected].sort());
      expect(lookups).toEqual([]);
      expect(result.window?.nextExecutionTime).toBe('2025-01-06T14:00Z');
    });

    it('fails before reading the store when the window does not exist', async () => {
      let read = false;
      const error = await queryAtRisk(
        {
          store: {
            listCurrentAttention: async () => {
              read = true;
              return { runs: { newer: [] }, nodes: [] };
            },
          },
          windows,
        },
        { filter: { statuses: DEFAULT_AT_RISK_STATUSES, tags: [] }, window: 'nope', now: new Date() },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MaintenanceWindowNotFoundError);
      expect(read).toBe(false);
    });
  });
});

describe('SsmMaintenanceWindows with two windows of one name', () => {
  it('refuses the name and lists both ids', async () => {
    const fleet = generateFleet({
      profiles: TEST_PROFILES,
      mix: TEST_MIX,
      nodes: 20,
      seed: 3,
      faults: 'none',
    });
    const staging = fleet.maintenanceWindows.find((w) => w.name === 'staging') as MaintenanceWindowSpec;
    const twin = { ...staging, windowId: 'mw-0000000000000abcd' };
    const simulator = await startSsmSimulator({
      fleet: { ...fleet, maintenanceWindows: [...fleet.maintenanceWindows, twin] },
    });
    const ssm = createSsmClient({ endpoint: simulator.endpoint });
    const tagging = createTaggingClient({ endpoint: simulator.endpoint });
    try {
      const error = await new SsmMaintenanceWindows({ ssm, tagging })
        .findWindow('staging')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AmbiguousWindowNameError);
      expect((error as Error).message).toBe(
        `2 maintenance windows are named "staging" (${staging.windowId}, mw-0000000000000abcd); pass the window id instead`,
      );
    } finally {
      ssm.destroy();
      tagging.destroy();
      await simulator.stop();
    }
  });
});
