import {
  type CommandInvocation,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  paginateListCommandInvocations,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeFault, VirtualNode } from '../../../src/local/fleet/virtual-fleet.ts';
import { type Harness, postJson, startHarness } from './simulator-harness.ts';

const HOUR = 3_600_000;

async function sendToIds(
  ssm: SSMClient,
  ids: string[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  const sent = await ssm.send(
    new SendCommandCommand({ DocumentName: 'FleetComplianceProbe', InstanceIds: ids, ...extra }),
  );
  return sent.Command?.CommandId as string;
}

async function allInvocations(
  ssm: SSMClient,
  commandId: string,
  details = false,
): Promise<CommandInvocation[]> {
  const out: CommandInvocation[] = [];
  for await (const page of paginateListCommandInvocations(
    { client: ssm, pageSize: 50 },
    { CommandId: commandId, Details: details },
  )) {
    out.push(...(page.CommandInvocations ?? []));
  }
  return out;
}

function nodesWith(h: Harness, fault: NodeFault, count: number): VirtualNode[] {
  const nodes = h.fleet.nodes.filter((n) => n.fault === fault).slice(0, count);
  expect(nodes).toHaveLength(count);
  return nodes;
}

describe('a 1,000-node chaos fleet scanned through the real SSM client', () => {
  let h: Harness;
  let commandId: string;
  let invocations: CommandInvocation[];

  beforeAll(async () => {
    h = await startHarness({ nodes: 1000, faults: 'chaos' });
    const sent = await h.ssm.send(
      new SendCommandCommand({
        DocumentName: 'FleetComplianceProbe',
        Targets: [{ Key: 'tag-key', Values: ['cluster'] }],
        MaxConcurrency: '100%',
        MaxErrors: '100%',
        TimeoutSeconds: 600,
        Parameters: { executionTimeout: ['300'] },
        Comment: 'fleet-compliance scan',
      }),
    );
    commandId = sent.Command?.CommandId as string;
  });
  afterAll(() => h.stop());

  it('records the request and counts every node as a target', () => {
    const [record] = h.simulator.sentCommands();
    expect(record?.request.documentName).toBe('FleetComplianceProbe');
    expect(record?.request.comment).toBe('fleet-compliance scan');
    expect(record?.targetCount).toBe(1000);
  });

  it('shows the command in progress right after it was sent', async () => {
    const listed = await h.ssm.send(new ListCommandsCommand({ CommandId: commandId }));
    const command = listed.Commands?.[0];
    expect(command?.Status).toBe('InProgress');
    expect(command?.TargetCount).toBe(1000);
    expect(command?.CompletedCount).toBe(0);
    expect(command?.ExpiresAfter?.getTime()).toBe(h.clock.now() + 900_000);
    const early = await allInvocations(h.ssm, commandId);
    expect(new Set(early.map((i) => i.StatusDetails))).toEqual(new Set(['InProgress', 'Pending', 'Delayed']));
  });

  it('lists every node exactly once across pages, in a stable order', async () => {
    h.clock.advance(HOUR);
    invocations = await allInvocations(h.ssm, commandId, true);
    const ids = invocations.map((i) => i.InstanceId);
    expect(ids).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
    expect(ids).toEqual(h.fleet.nodes.map((n) => n.instanceId));
    expect(h.simulator.stats().byOperation.ListCommandInvocations?.calls).toBeGreaterThanOrEqual(20);
  });

  it('ends the command Incomplete once every invocation is terminal', async () => {
    const command = (await h.ssm.send(new ListCommandsCommand({ CommandId: commandId }))).Commands?.[0];
    const byFault = (f: NodeFault) => h.fleet.nodes.filter((n) => n.fault === f).length;
    expect(command).toMatchObject({
      Status: 'Success',
      StatusDetails: 'Incomplete',
      CompletedCount: 1000,
      ErrorCount: byFault('failed') + byFault('execution-timeout'),
      DeliveryTimedOutCount: byFault('offline') + byFault('vanish'),
    });
  });

  it('produces every terminal status a chaos fleet can meet', () => {
    const seen = new Set(invocations.map((i) => i.StatusDetails));
    for (const detail of [
      'Success',
      'Failed',
      'ExecutionTimedOut',
      'DeliveryTimedOut',
      'Undeliverable',
      'InvalidPlatform',
      'AccessDenied',
    ]) {
      expect(seen, detail).toContain(detail);
    }
    const pair = (d: string) => invocations.find((i) => i.StatusDetails === d)?.Status;
    expect(pair('ExecutionTimedOut')).toBe('TimedOut');
    expect(pair('DeliveryTimedOut')).toBe('TimedOut');
    expect(pair('Undeliverable')).toBe('Failed');
  });

  it('caps plugin output at 2,500 characters in ListCommandInvocations', () => {
    for (const invocation of invocations) {
      expect(invocation.CommandPlugins?.[0]?.Output?.length ?? 0).toBeLessThanOrEqual(2500);
    }
    const oversized = new Set(h.fleet.nodes.filter((n) => n.fault === 'oversized').map((n) => n.instanceId));
    const cut = invocations.filter((i) => oversized.has(i.InstanceId as string));
    expect(cut.length).toBeGreaterThan(0);
    for (const invocation of cut) {
      const output = invocation.CommandPlugins?.[0]?.Output as string;
      expect(output.length).toBe(2500);
      expect(output.endsWith('\n---Output truncated---')).toBe(true);
      expect(output).not.toMatch(/\nend\n/);
    }
  });

  it('returns the whole output through GetCommandInvocation', async () => {
    for (const node of h.fleet.nodes.filter((n) => n.fault === 'oversized').slice(0, 3)) {
      const got = await h.ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: node.instanceId }),
      );
      expect(got.Status).toBe('Success');
      expect(got.StandardOutputContent).toBe(h.fleet.stdout(node));
      expect(got.StandardOutputContent?.length).toBeGreaterThan(2500);
      expect(got.StandardOutputContent?.endsWith('\nend\n')).toBe(true);
    }
  });

  it('reports a failed probe with its exit code, stdout and stderr', async () => {
    const [node] = nodesWith(h, 'failed', 1) as [VirtualNode];
    const got = await h.ssm.send(
      new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: node.instanceId }),
    );
    expect(got.Status).toBe('Failed');
    expect(got.ResponseCode).toBe(h.fleet.exitCode(node));
    expect(got.ResponseCode).not.toBe(0);
    expect(got.StandardOutputContent).toBe(h.fleet.stdout(node));
    expect(got.StandardErrorContent).toContain(`failed to run commands: exit status ${got.ResponseCode}`);
    const listed = invocations.find((i) => i.InstanceId === node.instanceId);
    expect(listed?.CommandPlugins?.[0]?.Output).toContain('\n----------ERROR-------\n');
  });

  it('has no output where the probe never ran', async () => {
    const [node] = nodesWith(h, 'undeliverable', 1) as [VirtualNode];
    const got = await h.ssm.send(
      new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: node.instanceId }),
    );
    expect(got).toMatchObject({
      Status: 'Failed',
      StatusDetails: 'Undeliverable',
      ResponseCode: -1,
      StandardOutputContent: '',
    });
  });

  it('answers InvocationDoesNotExist for a node the command did not target', async () => {
    await expect(
      h.ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: 'i-0123456789abcdef0' }),
      ),
    ).rejects.toMatchObject({ name: 'InvocationDoesNotExist', $metadata: { httpStatusCode: 400 } });
  });

  it('filters invocations by status and by instance', async () => {
    const failed = await h.ssm.send(
      new ListCommandInvocationsCommand({
        CommandId: commandId,
        Filters: [{ key: 'Status', value: 'TimedOut' }],
      }),
    );
    expect(failed.CommandInvocations?.every((i) => i.Status === 'TimedOut')).toBe(true);
    const node = h.fleet.nodes[7] as VirtualNode;
    const one = await h.ssm.send(
      new ListCommandInvocationsCommand({ CommandId: commandId, InstanceId: node.instanceId }),
    );
    expect(one.CommandInvocations?.map((i) => i.InstanceId)).toEqual([node.instanceId]);
  });

  it('refuses unknown command ids and forged page tokens', async () => {
    await expect(
      h.ssm.send(new ListCommandsCommand({ CommandId: '00000000-0000-0000-0000-000000000000' })),
    ).rejects.toMatchObject({ name: 'InvalidCommandId' });
    await expect(
      h.ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, NextToken: 'not-a-token' })),
    ).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });
});

describe('SendCommand targeting', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ nodes: 300, faults: 'none', seed: 7 });
  });
  afterAll(() => h.stop());

  it('rejects more than 50 InstanceIds with a ValidationException', async () => {
    const ids = h.fleet.nodes.slice(0, 51).map((n) => n.instanceId);
    await expect(
      h.ssm.send(new SendCommandCommand({ DocumentName: 'FleetComplianceProbe', InstanceIds: ids })),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const accepted = await sendToIds(h.ssm, ids.slice(0, 50));
    expect(accepted).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects an unknown instance id with InvalidInstanceId', async () => {
    await expect(sendToIds(h.ssm, ['i-00000000000000000'])).rejects.toMatchObject({
      name: 'InvalidInstanceId',
    });
  });

  it('ANDs target keys and ORs the values of one key', async () => {
    const sent = await h.ssm.send(
      new SendCommandCommand({
        DocumentName: 'FleetComplianceProbe',
        Targets: [
          { Key: 'tag:cluster', Values: ['prod-us-1', 'staging'] },
          { Key: 'tag:az', Values: ['us-east-1a'] },
        ],
      }),
    );
    const expected = h.fleet.nodes.filter(
      (n) => ['prod-us-1', 'staging'].includes(n.tags.cluster as string) && n.tags.az === 'us-east-1a',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(
      h.fleet.nodes.filter((n) => ['prod-us-1', 'staging'].includes(n.tags.cluster as string)).length,
    );
    expect(sent.Command?.TargetCount).toBe(expected.length);
    const listed = await allInvocations(h.ssm, sent.Command?.CommandId as string);
    expect(listed.map((i) => i.InstanceId)).toEqual(expected.map((n) => n.instanceId));
  });

  it('limits Targets to 5 keys and 5 values per key', async () => {
    const send = (Targets: { Key: string; Values: string[] }[]) =>
      h.ssm.send(new SendCommandCommand({ DocumentName: 'FleetComplianceProbe', Targets }));
    await expect(
      send([{ Key: 'tag:cluster', Values: ['a', 'b', 'c', 'd', 'e', 'f'] }]),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      send(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => ({ Key: `tag:${k}`, Values: ['x'] }))),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('reports a tag that matches no node as a command with no targets', async () => {
    const sent = await h.ssm.send(
      new SendCommandCommand({
        DocumentName: 'FleetComplianceProbe',
        Targets: [{ Key: 'tag:cluster', Values: ['nope'] }],
      }),
    );
    expect(sent.Command).toMatchObject({
      TargetCount: 0,
      Status: 'Success',
      StatusDetails: 'NoInstancesInTag',
    });
  });

  it('runs at most MaxConcurrency invocations at once', async () => {
    const ids = h.fleet.nodes.slice(0, 6).map((n) => n.instanceId);
    const commandId = await sendToIds(h.ssm, ids, { MaxConcurrency: '2' });
    const running = (await allInvocations(h.ssm, commandId)).map((i) => i.StatusDetails);
    expect(running).toEqual(['InProgress', 'InProgress', 'Pending', 'Pending', 'Pending', 'Pending']);
    h.clock.advance(HOUR);
    expect(new Set((await allInvocations(h.ssm, commandId)).map((i) => i.StatusDetails))).toEqual(
      new Set(['Success']),
    );
  });
});

describe('MaxErrors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ nodes: 1000, faults: 'chaos', seed: 11 });
  });
  afterAll(() => h.stop());

  async function run(nodes: VirtualNode[], maxErrors: string) {
    const commandId = await sendToIds(
      h.ssm,
      nodes.map((n) => n.instanceId),
      {
        MaxConcurrency: '1',
        MaxErrors: maxErrors,
        TimeoutSeconds: 600,
        Parameters: { executionTimeout: ['60'] },
      },
    );
    h.clock.advance(HOUR);
    const command = (await h.ssm.send(new ListCommandsCommand({ CommandId: commandId }))).Commands?.[0];
    return { command, details: (await allInvocations(h.ssm, commandId)).map((i) => i.StatusDetails) };
  }

  it('defaults to 0: the first failure terminates every invocation not yet started', async () => {
    const [a, b, c, d] = nodesWith(h, 'none', 4);
    const [f] = nodesWith(h, 'failed', 1);
    const { command, details } = await run([a, b, f, c, d] as VirtualNode[], '0');
    expect(details).toEqual(['Success', 'Success', 'Failed', 'Terminated', 'Terminated']);
    expect(command).toMatchObject({
      Status: 'Failed',
      StatusDetails: 'Failed',
      ErrorCount: 1,
      CompletedCount: 5,
    });
  });

  it('stops on the error after the allowed count, and counts execution time-outs', async () => {
    const [a, b] = nodesWith(h, 'none', 2);
    const [t] = nodesWith(h, 'execution-timeout', 1);
    const [f] = nodesWith(h, 'failed', 1);
    const { details } = await run([t, a, f, b] as VirtualNode[], '1');
    expect(details).toEqual(['ExecutionTimedOut', 'Success', 'Failed', 'Terminated']);
  });

  it('times out what a slow invocation keeps from starting before TimeoutSeconds', async () => {
    const [t] = nodesWith(h, 'execution-timeout', 1);
    const [a] = nodesWith(h, 'none', 1);
    const commandId = await sendToIds(
      h.ssm,
      [t, a].map((n) => (n as VirtualNode).instanceId),
      {
        MaxConcurrency: '1',
        MaxErrors: '1',
        TimeoutSeconds: 30,
        Parameters: { executionTimeout: ['60'] },
      },
    );
    h.clock.advance(HOUR);
    const details = (await allInvocations(h.ssm, commandId)).map((i) => i.StatusDetails);
    expect(details).toEqual(['ExecutionTimedOut', 'DeliveryTimedOut']);
  });

  it('does not count delivery problems', async () => {
    const [a] = nodesWith(h, 'none', 1);
    const [u] = nodesWith(h, 'undeliverable', 1);
    const [o] = nodesWith(h, 'offline', 1);
    const [p] = nodesWith(h, 'invalid-platform', 1);
    const [x] = nodesWith(h, 'access-denied', 1);
    const { command, details } = await run([u, o, p, x, a] as VirtualNode[], '0');
    expect(details).toEqual([
      'Undeliverable',
      'DeliveryTimedOut',
      'InvalidPlatform',
      'AccessDenied',
      'Success',
    ]);
    expect(command).toMatchObject({
      Status: 'Success',
      StatusDetails: 'Incomplete',
      ErrorCount: 0,
      DeliveryTimedOutCount: 1,
    });
  });

  it('accepts a percentage of the targets', async () => {
    const nodes = [...nodesWith(h, 'failed', 3), ...nodesWith(h, 'none', 7)];
    const { command, details } = await run(nodes, '30%');
    expect(details.filter((d) => d === 'Terminated')).toHaveLength(0);
    expect(command).toMatchObject({ Status: 'Success', StatusDetails: 'Incomplete', ErrorCount: 3 });
  });
});

describe('the wire protocol', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ nodes: 10 });
  });
  afterAll(() => h.stop());

  it('requires an Authorization header', async () => {
    const answer = await postJson(h.simulator.endpoint, 'AmazonSSM.ListCommands', {}, {});
    expect(answer).toEqual({
      status: 403,
      json: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    });
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const answer = await postJson(h.simulator.endpoint, 'AmazonSSM.DeleteEverything', {});
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('UnknownOperationException');
  });
});
