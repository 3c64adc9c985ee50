import { afterEach, describe, expect, it } from 'vitest';
import { CommandCommentTooLongError } from '../../../src/adapters/ssm/command-comment-too-long-error.ts';
import { CommandNotFoundError } from '../../../src/adapters/ssm/command-not-found-error.ts';
import { InvocationNotFoundError } from '../../../src/adapters/ssm/invocation-not-found-error.ts';
import { SsmFleetCommands } from '../../../src/adapters/ssm/ssm-fleet-commands.ts';
import { SsmRequestError } from '../../../src/adapters/ssm/ssm-request-error.ts';
import type { ScanTargets } from '../../../src/core/scan/scan-settings.ts';
import type { InvocationRecord, ProbeCommandRequest } from '../../../src/pipeline/ports.ts';
import { type SimulatedFleet, startSimulatedFleet } from './simulated-fleet.ts';

const DOCUMENT = 'FleetComplianceProbe';
/** Five of the fleet's clusters (SSM takes at most five values per tag key). */
const CLUSTERS = ['prod-us-1', 'prod-eu-1', 'prod-us-2', 'staging', 'batch'];
const TAG_TARGETS: ScanTargets = { kind: 'tags', tags: [{ key: 'cluster', values: CLUSTERS }] };

function probeRequest(overrides: Partial<ProbeCommandRequest> = {}): ProbeCommandRequest {
  return {
    documentName: DOCUMENT,
    targets: TAG_TARGETS,
    maxConcurrency: '25%',
    maxErrors: '25%',
    deliveryTimeoutSeconds: 600,
    comment: 'fleet-compliance run r-1 part 1/1',
    ...overrides,
  };
}

function targetedIds(sim: SimulatedFleet): string[] {
  return sim.fleet.nodes.filter((n) => CLUSTERS.includes(n.tags.cluster ?? '')).map((n) => n.instanceId);
}

async function listAll(fleet: SsmFleetCommands, commandId: string) {
  const invocations: InvocationRecord[] = [];
  const pageSizes: number[] = [];
  let token: string | undefined;
  do {
    const page = await fleet.listInvocations(commandId, token);
    invocations.push(...page.invocations);
    pageSizes.push(page.invocations.length);
    token = page.nextToken;
  } while (token !== undefined);
  return { invocations, pageSizes };
}

describe('SsmFleetCommands against the SSM simulator', () => {
  let sim: SimulatedFleet | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('sends one tag-targeted command over 500+ nodes with the rate controls, timeout and comment asked for', async () => {
    sim = await startSimulatedFleet({ nodes: 700 });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const expected = targetedIds(sim);
    expect(expected.length).toBeGreaterThanOrEqual(500);

    const sent = await fleet.sendProbe(probeRequest());

    expect(sent).toEqual({
      commandId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      comment: 'fleet-compliance run r-1 part 1/1',
      targetCount: expected.length,
    });
    const [record] = sim.simulator.sentCommands();
    expect(record?.request).toMatchObject({
      documentName: DOCUMENT,
      targets: [{ key: 'tag:cluster', values: CLUSTERS }],
      instanceIds: [],
      maxConcurrency: '25%',
      maxErrors: '25%',
      timeoutSeconds: 600,
      comment: 'fleet-compliance run r-1 part 1/1',
    });
    expect(fleet.stats.snapshot().calls).toEqual({ SendCommand: 1 });
  });

  it('sends explicit instance ids as InstanceIds', async () => {
    sim = await startSimulatedFleet({ nodes: 20 });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const ids = sim.fleet.nodes.slice(0, 3).map((n) => n.instanceId);
    const sent = await fleet.sendProbe(probeRequest({ targets: { kind: 'instances', ids } }));
    expect(sent.targetCount).toBe(3);
    expect(sim.simulator.sentCommands()[0]?.request).toMatchObject({ instanceIds: ids, targets: [] });
  });

  it('lists every invocation exactly once, in pages of at most 50, following NextToken', async () => {
    sim = await startSimulatedFleet({ nodes: 700 });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const { commandId } = await fleet.sendProbe(probeRequest());
    sim.clock?.advance(2 * 3_600_000);

    const { invocations, pageSizes } = await listAll(fleet, commandId);

    const expected = targetedIds(sim);
    const ids = invocations.map((i) => i.instanceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(pageSizes.length).toBe(Math.ceil(expected.length / 50));
    expect(pageSizes.every((n) => n <= 50)).toBe(true);
    expect(fleet.stats.snapshot().calls.ListCommandInvocations).toBe(pageSizes.length);
    expect(invocations.every((i) => i.status === 'Success' && i.statusDetails === 'Success')).toBe(true);
    expect(invocations.every((i) => i.output.startsWith('fleet-compliance-probe/1'))).toBe(true);
  });

  it('shows listed output cut at 2,500 characters, and fetchOutput returns the whole of it', async () => {
    sim = await startSimulatedFleet({ nodes: 500, faults: 'chaos' });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const { commandId } = await fleet.sendProbe(probeRequest());
    sim.clock?.advance(2 * 3_600_000);
    const { invocations } = await listAll(fleet, commandId);
    const byId = new Map(invocations.map((i) => [i.instanceId, i]));

    const oversized = sim.fleet.nodes.filter((n) => n.fault === 'oversized' && byId.has(n.instanceId));
    expect(oversized.length).toBeGreaterThan(0);
    for (const node of oversized) {
      const whole = sim.fleet.stdout(node);
      expect(whole.length).toBeGreaterThan(2500);
      const listed = byId.get(node.instanceId)!;
      expect(listed.output.length).toBeLessThanOrEqual(2500);
      expect(listed.output).toContain('---Output truncated---');
      expect(await fleet.fetchOutput(commandId, node.instanceId)).toBe(whole.slice(0, 24_000));
    }
    // Statuses come through with their details (a chaos fleet has every outcome).
    const details = new Set(invocations.map((i) => i.statusDetails));
    expect(details).toContain('Undeliverable');
    expect(details).toContain('DeliveryTimedOut');
  });

  it("finds this run's commands by document, time and comment prefix, across pages", async () => {
    sim = await startSimulatedFleet({ nodes: 30 });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const send = (comment: string, documentName = DOCUMENT) =>
      fleet.sendProbe(probeRequest({ comment, documentName }));
    await send('fleet-compliance run r-old part 1/1');
    sim.clock?.advance(120_000);
    const since = new Date(sim.clock!.now() - 1000);
    const a1 = await send('fleet-compliance run r-a part 1/2');
    // More than one ListCommands page of other commands in between.
    for (let i = 0; i < 55; i += 1) await send(`fleet-compliance run r-b${i} part 1/1`);
    const a2 = await send('fleet-compliance run r-a part 2/2');
    await send('fleet-compliance run r-a part 1/2', 'OtherDocument');

    const found = await fleet.findSentCommands(DOCUMENT, since, 'fleet-compliance run r-a part ');

    expect(found.map((c) => c.commandId).sort()).toEqual([a1.commandId, a2.commandId].sort());
    expect(found.map((c) => c.comment).sort()).toEqual([
      'fleet-compliance run r-a part 1/2',
      'fleet-compliance run r-a part 2/2',
    ]);
    expect(found.every((c) => c.targetCount === targetedIds(sim!).length)).toBe(true);
    expect(fleet.stats.snapshot().calls.ListCommands).toBe(2);
  });

  it('describes a command in progress, then finished with its counts', async () => {
    sim = await startSimulatedFleet({ nodes: 40 });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const { commandId } = await fleet.sendProbe(probeRequest({ maxConcurrency: '5' }));
    const early = await fleet.describeCommand(commandId);
    expect(early.status).toMatch(/^(Pending|InProgress)$/);
    sim.clock?.advance(3_600_000);
    const done = await fleet.describeCommand(commandId);
    expect(done).toEqual({
      commandId,
      status: 'Success',
      targetCount: early.targetCount,
      completedCount: early.targetCount,
      errorCount: 0,
    });
  });

  it('turns unknown commands and invocations into domain errors naming them', async () => {
    sim = await startSimulatedFleet({ nodes: 20 });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(fleet.describeCommand(unknown)).rejects.toBeInstanceOf(CommandNotFoundError);
    await expect(fleet.listInvocations(unknown)).rejects.toMatchObject({
      name: 'CommandNotFoundError',
      commandId: unknown,
      cause: expect.objectContaining({ name: 'InvalidCommandId' }),
    });

    const ids = sim.fleet.nodes.slice(0, 2).map((n) => n.instanceId);
    const { commandId } = await fleet.sendProbe(
      probeRequest({ targets: { kind: 'instances', ids: [ids[0]!] } }),
    );
    const error = await fleet.fetchOutput(commandId, ids[1]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvocationNotFoundError);
    expect(error).toMatchObject({ commandId, instanceId: ids[1] });

    const stranger = 'i-0123456789abcdef0';
    await expect(
      fleet.sendProbe(probeRequest({ targets: { kind: 'instances', ids: [stranger] } })),
    ).rejects.toSatisfy((e) => e instanceof SsmRequestError && e.awsCode === 'InvalidInstanceId');
    expect(fleet.stats.snapshot().failures).toEqual({
      ListCommands: 1,
      ListCommandInvocations: 1,
      GetCommandInvocation: 1,
      SendCommand: 1,
    });
  });

  it('refuses a comment over SSM’s 100 characters before calling SSM', async () => {
    sim = await startSimulatedFleet({ nodes: 5 });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const comment = `fleet-compliance run ${'x'.repeat(80)} part 1/1`;
    await expect(fleet.sendProbe(probeRequest({ comment }))).rejects.toBeInstanceOf(
      CommandCommentTooLongError,
    );
    await expect(fleet.sendProbe(probeRequest({ comment: 'c'.repeat(100) }))).resolves.toMatchObject({
      comment: 'c'.repeat(100),
    });
    expect(sim.simulator.stats().byOperation.SendCommand?.calls).toBe(1);
  });

  it('rides out throttling bursts: a throttled page is asked again, none is skipped', async () => {
    sim = await startSimulatedFleet({
      nodes: 600,
      // One burst of two, mid-listing (seed 1): adaptive retry backs off ~0.5 s and slows the client after it.
      faultPlan: { seed: 1, throttle: { ListCommandInvocations: { probability: 0.05, burst: 2 } } },
    });
    const fleet = new SsmFleetCommands({ client: sim.ssm });
    const { commandId } = await fleet.sendProbe(probeRequest());
    sim.clock?.advance(2 * 3_600_000);

    const { invocations, pageSizes } = await listAll(fleet, commandId);

    const ids = invocations.map((i) => i.instanceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(targetedIds(sim).sort());
    const served = sim.simulator.stats().byOperation.ListCommandInvocations!;
    expect(served.throttled).toBeGreaterThan(0);
    expect(served.calls).toBe(pageSizes.length + served.throttled);
    const stats = fleet.stats.snapshot();
    expect(stats.calls.ListCommandInvocations).toBe(pageSizes.length);
    expect(stats.retries).toBe(served.throttled);
  });
});
