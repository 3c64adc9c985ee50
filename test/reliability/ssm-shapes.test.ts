import {
  type CommandInvocation,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { DynamoScanScratch } from '../../src/adapters/dynamodb/dynamo-scan-scratch.ts';
import { createSsmClient } from '../../src/adapters/ssm/create-ssm-client.ts';
import { SsmFleetCommands } from '../../src/adapters/ssm/ssm-fleet-commands.ts';
import { DEFAULT_SCAN_SETTINGS, parseTargetSpec } from '../../src/core/scan/scan-settings.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../src/local/embedded-dynamodb.ts';
import { loadProfiles } from '../../src/local/fleet/load-profiles.ts';
import { runScanSteps } from '../../src/local/local-scan.ts';
import { NOT_INVOKED } from '../../src/pipeline/finalize-step.ts';
import type { TargetNode } from '../../src/pipeline/ports.ts';
import type { ScanDeps } from '../../src/pipeline/scan-deps.ts';
import { catalog, expectRunInvariants, scanInput } from './scan-harness.ts';

/**
 * SSM answers the simulator never gives, through the whole pipeline (dispatch to finalize, the
 * real SsmFleetCommands adapter on a mocked SSMClient, the real store on dynalite): statuses it
 * does not produce (Cancelled, Terminated, one from a future API, a detail spelled with spaces), invocations without an instance id or without plugins, empty pages that still
 * carry a NextToken, an output cut at 2,500 characters, a node SSM ran that the tag listing did
 * not return. Whatever the shape, every node gets exactly one status.
 */

const ssm = mockClient(SSMClient);
const profiles = loadProfiles();
const DOCUMENT = 'FleetComplianceProbe-test';
const COMMAND = '11111111-2222-3333-4444-555555555555';
const id = (n: number) => `i-0${n.toString(16).padStart(16, '0')}`;
const TARGETED = Array.from({ length: 10 }, (_, i) => id(i + 1));
const LATE_TAGGED = id(11);

function invocation(node: string, status: string | undefined, output?: string | null, details?: string): CommandInvocation {
  return {
    InstanceId: node,
    ...(status === undefined ? {} : { Status: status as CommandInvocation['Status'] }),
    ...(details === undefined ? {} : { StatusDetails: details }),
    ...(output === undefined ? {} : { CommandPlugins: [{ Name: 'aws:runShellScript', Output: output as string }] }),
  };
}

/** A complete output longer than the listing shows, cut there as ListCommandInvocations cuts it. */
const LONG = (() => {
  const lines = (profiles.get('rhel-8') ?? '').split('\n');
  const extra = Array.from({ length: 40 }, (_, i) => `mount.${i}=/dev/nvme1n1 /var/lib/kubelet/pods/${'a'.repeat(36)}/volumes ext4 rw`);
  return [lines[0], ...extra, ...lines.slice(1)].join('\n');
})();

const PAGES: Record<string, { CommandInvocations: CommandInvocation[]; NextToken?: string }> = {
  first: {
    CommandInvocations: [
      invocation(id(1), 'Success', profiles.get('debian-12')),
      invocation(id(2), 'Success', profiles.get('centos-7.6-unfixed')),
      invocation(id(3), 'Cancelled'),
      invocation(id(4), 'Terminated'),
      { Status: 'Success', CommandPlugins: [{ Output: profiles.get('amzn-2') ?? '' }] }, // no InstanceId: id(10)'s, unattributable
    ],
    NextToken: 'empty',
  },
  empty: { CommandInvocations: [], NextToken: 'last' },
  last: {
    CommandInvocations: [
      invocation(id(5), 'InProgress'),
      invocation(id(6), 'QuarantinedByAFutureFeature'),
      invocation(id(7), 'TimedOut', '', 'Delivery Timed Out'), // the console's spelling of the detail
      { InstanceId: id(8), Status: 'Success' }, // no plugins at all
      invocation(id(9), 'Success', LONG.slice(0, 2500)),
      invocation(LATE_TAGGED, 'Success', profiles.get('ubuntu-20.04')),
    ],
  },
};

let dynamo: EmbeddedDynamo;
let clients: ReturnType<typeof createDynamoClients>;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  clients = createDynamoClients({ endpoint: dynamo.endpoint });
});
afterAll(async () => {
  clients.destroy();
  await dynamo.stop();
});

beforeEach(() => {
  ssm.reset();
  const sent: { CommandId: string; Comment: string; TargetCount: number }[] = [];
  ssm.on(SendCommandCommand).callsFake((input: { Comment: string }) => {
    const command = { CommandId: COMMAND, Comment: input.Comment, TargetCount: TARGETED.length + 1 };
    sent.push(command);
    return { Command: command };
  });
  ssm.on(ListCommandsCommand).callsFake((input: { CommandId?: string }) => ({
    Commands: input.CommandId ? sent.map((c) => ({ ...c, Status: 'Success' })) : sent,
  }));
  ssm.on(ListCommandInvocationsCommand).callsFake((input: { NextToken?: string }) => PAGES[input.NextToken ?? 'first']);
  ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success', StandardOutputContent: LONG });
});

function deps(runId: string): ScanDeps {
  const store = new DynamoFleetStore({ doc: clients.doc, tableName: dynamo.tableName });
  return {
    store,
    fleet: new SsmFleetCommands({ client: createSsmClient({ endpoint: 'http://127.0.0.1:9' }) }),
    directory: {
      // The tag listing: the ten targeted nodes (not the one tagged after it).
      listTargets: async (): Promise<TargetNode[]> => TARGETED.map((node) => ({ id: node, tags: { cluster: runId } })),
    },
    scratch: new DynamoScanScratch({ doc: clients.doc, tableName: dynamo.tableName }),
    clock: { now: () => new Date() },
    catalog,
    settings: {
      ...DEFAULT_SCAN_SETTINGS,
      documentName: DOCUMENT,
      targets: parseTargetSpec('tag:fleet-compliance=enabled'),
      // Collect as soon as SSM says the command is done; id(5) is still InProgress then.
      deadlineSeconds: 0,
    },
  };
}

describe('SSM shapes the simulator cannot produce, through the whole pipeline', () => {
  it('gives every targeted and every invoked node exactly one status', async () => {
    const { summary } = await runScanSteps(deps('shapes'), scanInput('shapes'), 5);
    const dynamoStore = new DynamoFleetStore({ doc: clients.doc, tableName: dynamo.tableName });
    const states = await expectRunInvariants(dynamoStore, 'shapes', summary, new Set([...TARGETED, LATE_TAGGED]));
    const status = (n: number) => [states.get(id(n))?.status, states.get(id(n))?.ssmStatus];
    expect(status(1)).toEqual(['COMPLIANT', undefined]);
    expect(status(2)[0]).toBe('AT_RISK');
    expect(status(3)).toEqual(['UNREACHABLE', 'Cancelled']);
    expect(status(4)).toEqual(['UNREACHABLE', 'Terminated']);
    expect(status(5)).toEqual(['UNREACHABLE', 'DeadlineExceeded']);
    expect(status(6)).toEqual(['UNREACHABLE', 'QuarantinedByAFutureFeature']);
    expect(status(7)).toEqual(['UNREACHABLE', 'DeliveryTimedOut']);
    expect(status(8)[0]).toBe('UNKNOWN');
    expect(status(9)[0]).toBe('COMPLIANT');
    expect(status(10)).toEqual(['UNREACHABLE', NOT_INVOKED]);
    expect(states.get(LATE_TAGGED)?.status).toBe('COMPLIANT');
    expect(summary.refetched).toBe(1);
    expect(ssm).toHaveReceivedCommandTimes(GetCommandInvocationCommand, 1);
    expect(summary.coverage).toMatchObject({ expected: 10, missing: 1 });
  });

  // One collect pass reads all three pages; with no time budget each page is a pass of its own,
  // so the repeated node comes back in a later pass (after the cursor hand-over).
  it.for([
    ['in the same collect pass', 'repeat', undefined],
    ['in a later collect pass', 'repeat-pass', 0],
  ] as const)('counts a node once when a later page lists it again %s', async ([, runId, collectBudgetMs]) => {
    const repeated = { ...PAGES.last!, CommandInvocations: [...PAGES.last!.CommandInvocations, invocation(id(1), 'Success', profiles.get('debian-12'))] };
    ssm.on(ListCommandInvocationsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'last' ? repeated : PAGES[input.NextToken ?? 'first'],
    );
    const { summary, collectPasses } = await runScanSteps({ ...deps(runId), collectBudgetMs }, scanInput(runId), 5);
    expect(collectPasses).toBe(collectBudgetMs === 0 ? 3 : 1);
    const dynamoStore = new DynamoFleetStore({ doc: clients.doc, tableName: dynamo.tableName });
    await expectRunInvariants(dynamoStore, runId, summary, new Set([...TARGETED, LATE_TAGGED]));
  });
});
