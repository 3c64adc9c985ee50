import {
  GetCommandInvocationCommand,
  GetParameterCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import builtin from '../../../advisories/catalog.json' with { type: 'json' };
import { loadAdvisoryParameter } from '../../../src/adapters/ssm/advisory-parameter.ts';
import { AdvisoryParameterNotFoundError } from '../../../src/adapters/ssm/advisory-parameter-not-found-error.ts';
import { createSsmClient } from '../../../src/adapters/ssm/create-ssm-client.ts';
import { SsmFleetCommands, toInvocationRecord } from '../../../src/adapters/ssm/ssm-fleet-commands.ts';
import { SsmRequestError } from '../../../src/adapters/ssm/ssm-request-error.ts';
import { SsmThrottledError } from '../../../src/adapters/ssm/ssm-throttled-error.ts';
import { TooManyInstanceIdsError } from '../../../src/adapters/ssm/too-many-instance-ids-error.ts';
import { InvalidAdvisoryError } from '../../../src/core/advisory/errors.ts';

const ssm = mockClient(SSMClient);
const client = createSsmClient({ endpoint: 'http://127.0.0.1:9' });

/** What the SDK throws for a service error once its own retries are spent. */
function serviceError(name: string, attempts = 10): Error {
  return Object.assign(new Error(`${name} from the service`), {
    name,
    $fault: 'client',
    $metadata: { attempts, totalRetryDelay: 12_000 },
  });
}

const nodeIds = (n: number) => Array.from({ length: n }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);

describe('SsmFleetCommands against a mocked SSM (shapes the simulator cannot produce)', () => {
  let fleet: SsmFleetCommands;
  beforeEach(() => {
    ssm.reset();
    fleet = new SsmFleetCommands({ client });
  });

  it('turns a throttling error that outlasted the retries into SsmThrottledError, keeping the cause', async () => {
    const cause = serviceError('ThrottlingException');
    ssm.on(ListCommandInvocationsCommand).rejects(cause);
    const error = await fleet.listInvocations('c-1', 'token-3').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsmThrottledError);
    expect(error).toMatchObject({ code: 'ssm.throttled', operation: 'ListCommandInvocations', cause });
    expect(ssm).toHaveReceivedCommandWith(ListCommandInvocationsCommand, { NextToken: 'token-3' });
    expect(fleet.stats.snapshot()).toMatchObject({
      failures: { ListCommandInvocations: 1 },
      retries: 9,
      retryDelayMs: 12_000,
    });
  });

  it('rejects more than 50 instance ids before any call', async () => {
    const request = {
      documentName: 'Probe',
      targets: { kind: 'instances', ids: nodeIds(51) },
      maxConcurrency: '25%',
      maxErrors: '25%',
      deliveryTimeoutSeconds: 600,
      comment: 'fleet-compliance run r part 1/1',
    } as const;
    await expect(fleet.sendProbe(request)).rejects.toBeInstanceOf(TooManyInstanceIdsError);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);

    ssm
      .on(SendCommandCommand)
      .resolves({ Command: { CommandId: 'c-1', Comment: request.comment, TargetCount: 50 } });
    await expect(
      fleet.sendProbe({ ...request, targets: { kind: 'instances', ids: nodeIds(50) } }),
    ).resolves.toEqual({
      commandId: 'c-1',
      comment: request.comment,
      targetCount: 50,
    });
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, { InstanceIds: nodeIds(50) });
  });

  it('fails SendCommand loudly when the answer has no command id', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: {} });
    await expect(
      fleet.sendProbe({
        documentName: 'Probe',
        targets: { kind: 'tags', tags: [{ key: 'env', values: ['prod'] }] },
        maxConcurrency: '1',
        maxErrors: '0',
        deliveryTimeoutSeconds: 60,
        comment: 'c',
      }),
    ).rejects.toBeInstanceOf(SsmRequestError);
  });

  it('joins the outputs of several plugins in document order', () => {
    const record = toInvocationRecord({
      InstanceId: 'i-0123456789abcdef0',
      Status: 'Success',
      StatusDetails: 'Success',
      CommandPlugins: [
        { Name: 'first', Output: 'fleet-compliance-probe/1\nos.id=centos' },
        { Name: 'empty', Output: '' },
        { Name: 'second', Output: 'end\n' },
      ],
    });
    expect(record).toEqual({
      instanceId: 'i-0123456789abcdef0',
      status: 'Success',
      statusDetails: 'Success',
      output: 'fleet-compliance-probe/1\nos.id=centos\nend\n',
    });
    expect(toInvocationRecord({ InstanceId: 'i-0123456789abcdef0', Status: 'Pending' })).toEqual({
      instanceId: 'i-0123456789abcdef0',
      status: 'Pending',
      output: '',
    });
    expect(toInvocationRecord({ Status: 'Success' })).toBeUndefined();
  });

  it('stops on a NextToken the service repeats, instead of looping', async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [], NextToken: 'same' });
    await expect(fleet.findSentCommands('Probe', new Date(0), 'x')).rejects.toThrow(/same NextToken/);
    expect(ssm).toHaveReceivedCommandTimes(ListCommandsCommand, 2);
  });

  it('reports a command ListCommands does not return as not found', async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [] });
    await expect(fleet.describeCommand('c-404')).rejects.toMatchObject({ name: 'CommandNotFoundError' });
  });

  it('keeps a socket failure (no service answer) as SsmRequestError without an AWS code', async () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    ssm.on(GetCommandInvocationCommand).rejects(socket);
    const error = await fleet.fetchOutput('c-1', 'i-0123456789abcdef0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsmRequestError);
    expect(error).toMatchObject({ awsCode: undefined, cause: socket });
  });

  it('asks GetCommandInvocation for a named plugin only when told to', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'whole' });
    const named = new SsmFleetCommands({ client, pluginName: 'probe' });
    await expect(named.fetchOutput('c-1', 'i-0123456789abcdef0')).resolves.toBe('whole');
    expect(ssm).toHaveReceivedCommandWith(GetCommandInvocationCommand, { PluginName: 'probe' });
  });
});

describe('loadAdvisoryParameter', () => {
  beforeEach(() => ssm.reset());

  it('reads, decrypts and validates a catalog held in an SSM parameter', async () => {
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Name: '/fleet/advisories', Value: JSON.stringify(builtin) } });
    const catalog = await loadAdvisoryParameter(client, '/fleet/advisories');
    expect(catalog.advisories.length).toBe(builtin.advisories.length);
    expect(catalog.sources).toEqual(['ssm-parameter:/fleet/advisories']);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, {
      Name: '/fleet/advisories',
      WithDecryption: true,
    });
  });

  it('names a missing parameter', async () => {
    ssm.on(GetParameterCommand).rejects(serviceError('ParameterNotFound', 1));
    await expect(loadAdvisoryParameter(client, '/fleet/missing')).rejects.toMatchObject({
      name: 'AdvisoryParameterNotFoundError',
      parameterName: '/fleet/missing',
    });
    await expect(loadAdvisoryParameter(client, '/fleet/missing')).rejects.toBeInstanceOf(
      AdvisoryParameterNotFoundError,
    );
  });

  it('refuses a value that is not JSON, or not a catalog, naming the parameter', async () => {
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: '{not json' } });
    await expect(loadAdvisoryParameter(client, '/p')).rejects.toThrow(/ssm-parameter:\/p.*not valid JSON/);
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: '{"schemaVersion":1,"advisories":[{"id":1}]}' } });
    await expect(loadAdvisoryParameter(client, '/p')).rejects.toBeInstanceOf(InvalidAdvisoryError);
  });
});
