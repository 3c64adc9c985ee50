import { expect } from 'vitest';
import { createDynamoClients } from '../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { DynamoScanScratch } from '../../src/adapters/dynamodb/dynamo-scan-scratch.ts';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { evaluateBlock } from '../../src/core/evaluation/evaluate-node.ts';
import { parseProbeOutput } from '../../src/core/probe/parse-probe-output.ts';
import type { FleetStore } from '../../src/core/store/fleet-store.ts';
import type { NodeState } from '../../src/core/store/node-state.ts';
import { VERDICT_STATUSES, type VerdictStatus } from '../../src/core/verdict.ts';
import type { FleetFaultMode, VirtualFleet, VirtualNode } from '../../src/local/fleet/virtual-fleet.ts';
import { startEmbeddedDynamo } from '../../src/local/embedded-dynamodb.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/local/local-environment.ts';
import { buildLocalFleet } from '../../src/local/local-fleet.ts';
import { type LocalScanEnvironment, type LocalScanOptions, startLocalScanEnvironment } from '../../src/local/local-scan.ts';
import type { ScanDeps } from '../../src/pipeline/scan-deps.ts';
import type { ScanSummary } from '../../src/pipeline/scan-state.ts';
import { type DynamoFaultProxy, type DynamoFaults, startDynamoFaultProxy } from './dynamo-fault-proxy.ts';

/**
 * The fault suite's harness: fleets generated from the recorded profiles exactly as
 * `scan --local --nodes N --seed S --faults F` builds them, the real adapters and SDK clients
 * against the SSM simulator and dynalite (optionally behind the DynamoDB fault proxy), and the
 * invariants every faulted run must keep.
 */

export interface FleetSpec {
  readonly nodes: number;
  readonly seed: number;
  readonly faults: FleetFaultMode;
}

export const catalog = builtinCatalog();

/**
 * The same fleet with every node answering within 20 ms (tests that run dozens of scans). Only
 * the timing changes: profiles, faults and outputs are the generated ones.
 */
export function quickFleet(fleet: VirtualFleet): VirtualFleet {
  const nodes = fleet.nodes.map((n) => ({ ...n, responseDelayMs: Math.min(n.responseDelayMs, 20) }));
  const byId = new Map(nodes.map((n) => [n.instanceId, n]));
  return { ...fleet, nodes, byId: (id) => byId.get(id) };
}

export interface CalmVerdict {
  readonly status: VerdictStatus;
  readonly findings: readonly string[];
}

/**
 * What a calm scan (same seed and size, faults none) says of every node, by evaluating each
 * node's complete output directly. One test checks that a real calm scan stores exactly this.
 */
export function calmVerdicts(spec: Omit<FleetSpec, 'faults'>): Map<string, CalmVerdict> {
  const fleet = buildLocalFleet({ ...spec, faults: 'none' });
  const out = new Map<string, CalmVerdict>();
  for (const node of fleet.nodes) {
    const block = parseProbeOutput(fleet.stdout(node))[0];
    if (!block) throw new Error(`calm node ${node.instanceId} printed no probe block`);
    const verdict = evaluateBlock(block, catalog, node.instanceId);
    out.set(node.instanceId, { status: verdict.status, findings: verdict.findings.map((f) => f.id).sort() });
  }
  return out;
}

/** Faults after which the node's complete output still reaches the scan (the oversized one is fetched again whole). */
export function answersFully(node: VirtualNode): boolean {
  return node.fault === 'none' || node.fault === 'oversized';
}

export interface HarnessOptions extends Partial<Omit<LocalScanOptions, 'nodes' | 'seed' | 'faults' | 'catalog'>> {
  /** Put the DynamoDB fault proxy between the adapters and dynalite. */
  readonly dynamoFaults?: DynamoFaults;
  /** Settings for the store the proxy's clients use (fast UnprocessedItems backoff in tests). */
  readonly storeRetryBaseDelayMs?: number;
}

export interface Harness {
  readonly env: LocalScanEnvironment;
  readonly deps: ScanDeps;
  readonly fleet: VirtualFleet;
  readonly store: FleetStore;
  readonly proxy?: DynamoFaultProxy;
  close(): Promise<void>;
}

/**
 * Starts the local scan environment on the fleet. With `dynamoFaults`, a second dynalite is
 * started behind the fault proxy and the store and scratch are rebuilt on clients pointed at
 * the proxy (the environment's own table is then left unused).
 */
export async function startHarness(spec: FleetSpec, options: HarnessOptions = {}): Promise<Harness> {
  const fleet = options.fleet ?? buildLocalFleet(spec);
  let proxied: { store: DynamoFleetStore; scratch: DynamoScanScratch; proxy: DynamoFaultProxy; close: () => Promise<void> } | undefined;
  if (options.dynamoFaults) {
    const dynamo = await startEmbeddedDynamo();
    const proxy = await startDynamoFaultProxy(dynamo.endpoint, options.dynamoFaults);
    const clients = createDynamoClients({ endpoint: proxy.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const store = new DynamoFleetStore({
      doc: clients.doc,
      tableName: dynamo.tableName,
      retryBaseDelayMs: options.storeRetryBaseDelayMs ?? 50,
    });
    const scratch = new DynamoScanScratch({ doc: clients.doc, tableName: dynamo.tableName, stats: store.stats });
    proxied = {
      store,
      scratch,
      proxy,
      close: async () => {
        clients.destroy();
        await proxy.stop();
        await dynamo.stop();
      },
    };
  }
  const userWrap = options.wrapDeps;
  const env = await startLocalScanEnvironment({
    ...options,
    ...spec,
    fleet,
    catalog,
    // No throttling unless asked; `faultPlan: undefined` keeps the simulator's default (chaos plan on a chaos fleet).
    faultPlan: 'faultPlan' in options ? options.faultPlan : {},
    wrapDeps: (deps) => {
      const base = proxied ? { ...deps, store: proxied.store, scratch: proxied.scratch } : deps;
      return userWrap ? userWrap(base) : base;
    },
  });
  return {
    env,
    deps: env.deps,
    fleet,
    store: env.deps.store,
    ...(proxied ? { proxy: proxied.proxy } : {}),
    close: async () => {
      await env.close();
      await proxied?.close();
    },
  };
}

function sumOf(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((n, v) => n + v, 0);
}

/**
 * The invariants of run R: the store holds exactly one state with runId R for every node in
 * `nodes` (the nodes the targets select plus every node SSM invoked) and for no other node; the
 * run item is COMPLETE, its byStatus sums to targeted = |nodes|, its counts are the stored states'
 * counts (so no finding is missing from the tally or the store), and the summary equals the run
 * item. Returns the run's states by node for further comparison.
 */
export async function expectRunInvariants(
  store: FleetStore,
  runId: string,
  summary: ScanSummary,
  nodes: ReadonlySet<string>,
): Promise<Map<string, NodeState>> {
  const now = new Date(Date.now() + 60_000);
  const ofRun = (await store.listNodeHistories(now)).flat().filter((s) => s.runId === runId);
  const byNode = new Map<string, NodeState>();
  const twice: string[] = [];
  for (const state of ofRun) {
    if (byNode.has(state.node)) twice.push(state.node);
    byNode.set(state.node, state);
  }
  expect(twice, `nodes with more than one state in run ${runId}`).toEqual([]);
  const missing = [...nodes].filter((n) => !byNode.has(n));
  const extra = [...byNode.keys()].filter((n) => !nodes.has(n));
  expect(missing, `nodes without a state in run ${runId}`).toEqual([]);
  expect(extra, `states of run ${runId} for nodes neither targeted nor invoked`).toEqual([]);

  const run = (await store.listRuns({ limit: 100, now })).find((r) => r.runId === runId);
  expect(run, `run item ${runId}`).toBeDefined();
  expect(run?.status).toBe('COMPLETE');
  expect(run?.targeted).toBe(nodes.size);
  expect(sumOf(run?.byStatus ?? {})).toBe(nodes.size);

  const stored = Object.fromEntries(VERDICT_STATUSES.map((s) => [s, 0])) as Record<VerdictStatus, number>;
  const findings: Record<string, number> = {};
  for (const state of byNode.values()) {
    stored[state.status] += 1;
    for (const f of state.findings) findings[f.id] = (findings[f.id] ?? 0) + 1;
  }
  expect(run?.byStatus).toEqual(stored);
  expect(run?.byAdvisory).toEqual(findings);

  expect(summary.runId).toBe(runId);
  expect(summary.targeted).toBe(run?.targeted);
  expect(summary.byStatus).toEqual(run?.byStatus);
  expect(summary.byAdvisory).toEqual(run?.byAdvisory);
  expect(summary.bySeverity).toEqual(run?.bySeverity);
  expect(summary.coverage.missing).toBe(run?.coverage.missing);
  return byNode;
}

/**
 * Chaos may only make a verdict less certain: a calm COMPLIANT node is never AT_RISK, a calm
 * AT_RISK node is never COMPLIANT, no finding appears that the calm scan lacks, and a node that
 * answered fully in both scans keeps exactly the calm verdict and findings (none lost). Returns how
 * many nodes were compared.
 */
export function expectNoWorseThanCalm(
  states: ReadonlyMap<string, NodeState>,
  calm: ReadonlyMap<string, CalmVerdict>,
  fleet: VirtualFleet,
): number {
  let compared = 0;
  for (const [node, state] of states) {
    const before = calm.get(node);
    if (before === undefined) continue;
    compared += 1;
    const where = `${node} (${fleet.byId(node)?.profile}, fault ${fleet.byId(node)?.fault})`;
    if (before.status === 'COMPLIANT') expect(state.status, where).not.toBe('AT_RISK');
    if (before.status === 'AT_RISK') expect(state.status, where).not.toBe('COMPLIANT');
    const ids = state.findings.map((f) => f.id).sort();
    for (const id of ids) expect(before.findings, `${where} gained ${id}`).toContain(id);
    const virtual = fleet.byId(node);
    // Answered fully in both scans: a complete output reached this one (not cut off by the deadline).
    if (virtual && answersFully(virtual) && state.status !== 'UNREACHABLE') {
      expect(ids, `${where} findings`).toEqual(before.findings);
      expect(state.status, `${where} status`).toBe(before.status);
    }
  }
  return compared;
}

/** Every node of the fleet: what the default target tag selects (all simulated nodes carry it). */
export function fleetNodeIds(fleet: VirtualFleet): Set<string> {
  return new Set(fleet.nodes.map((n) => n.instanceId));
}

export function scanInput(runId: string, startedAt: Date = new Date()): { runId: string; startedAt: string } {
  return { runId, startedAt: startedAt.toISOString() };
}
