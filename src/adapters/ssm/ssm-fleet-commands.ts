import {
  type CommandInvocation,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { MAX_INSTANCE_IDS_PER_COMMAND } from '../../core/scan/scan-settings.ts';
import type {
  CommandProgress,
  FleetCommands,
  InvocationPage,
  InvocationRecord,
  ProbeCommandRequest,
  SentCommand,
} from '../../pipeline/ports.ts';
import { CommandCommentTooLongError } from './command-comment-too-long-error.ts';
import { CommandNotFoundError } from './command-not-found-error.ts';
import { type AttemptMetadata, FleetCommandStats, metadataOf } from './fleet-command-stats.ts';
import { SsmRequestError } from './ssm-request-error.ts';
import { TooManyInstanceIdsError } from './too-many-instance-ids-error.ts';
import { type SsmErrorSubject, translateSsmError } from './translate-ssm-error.ts';

/** SendCommand's Comment limit (API reference, SendCommand: "Maximum length of 100"). */
export const MAX_COMMAND_COMMENT_LENGTH = 100;
/** ListCommandInvocations and ListCommands return at most 50 items a page. */
const PAGE_SIZE = 50;

export interface SsmFleetCommandsOptions {
  /** Built by createSsmClient (adaptive retry, 10 attempts). */
  readonly client: SSMClient;
  /** Counters shared with whoever wants them (a benchmark); a fresh one by default. */
  readonly stats?: FleetCommandStats;
  /**
   * GetCommandInvocation's PluginName. Only a document with several steps needs it; the probe
   * document has one, so SSM picks it.
   */
  readonly pluginName?: string;
}

/**
 * FleetCommands on SSM Run Command. Throttling is retried inside the SDK (the same request, so a
 * throttled page is asked again with the same NextToken, never skipped); what still fails leaves
 * as a domain error with the SDK error as `cause`.
 */
export class SsmFleetCommands implements FleetCommands {
  readonly stats: FleetCommandStats;
  private readonly client: SSMClient;
  private readonly pluginName: string | undefined;

  constructor(options: SsmFleetCommandsOptions) {
    this.client = options.client;
    this.stats = options.stats ?? new FleetCommandStats();
    this.pluginName = options.pluginName;
  }

  async sendProbe(request: ProbeCommandRequest): Promise<SentCommand> {
    if (request.comment.length > MAX_COMMAND_COMMENT_LENGTH) {
      throw new CommandCommentTooLongError(request.comment, MAX_COMMAND_COMMENT_LENGTH);
    }
    const { targets } = request;
    if (targets.kind === 'instances' && targets.ids.length > MAX_INSTANCE_IDS_PER_COMMAND) {
      throw new TooManyInstanceIdsError(targets.ids.length, MAX_INSTANCE_IDS_PER_COMMAND);
    }
    const output = await this.call('SendCommand', {}, () =>
      this.client.send(
        new SendCommandCommand({
          DocumentName: request.documentName,
          ...(targets.kind === 'tags'
            ? { Targets: targets.tags.map((t) => ({ Key: `tag:${t.key}`, Values: [...t.values] })) }
            : { InstanceIds: [...targets.ids] }),
          MaxConcurrency: request.maxConcurrency,
          MaxErrors: request.maxErrors,
          TimeoutSeconds: request.deliveryTimeoutSeconds,
          Comment: request.comment,
        }),
      ),
    );
    const commandId = output.Command?.CommandId;
    if (!commandId) throw new SsmRequestError('SendCommand', undefined, 'the answer carried no command id');
    return {
      commandId,
      comment: output.Command?.Comment ?? request.comment,
      // With tag targets SSM may still be resolving them: 0 now, the real count at the next check.
      targetCount: output.Command?.TargetCount ?? 0,
    };
  }

  async findSentCommands(documentName: string, since: Date, prefix: string): Promise<SentCommand[]> {
    const found: SentCommand[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call('ListCommands', {}, () =>
        this.client.send(
          new ListCommandsCommand({
            Filters: [
              { key: 'DocumentName', value: documentName },
              { key: 'InvokedAfter', value: since.toISOString() },
            ],
            MaxResults: PAGE_SIZE,
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
        ),
      );
      for (const command of page.Commands ?? []) {
        const comment = command.Comment ?? '';
        if (!command.CommandId || !comment.startsWith(prefix)) continue;
        found.push({ commandId: command.CommandId, comment, targetCount: command.TargetCount ?? 0 });
      }
      nextToken = nextPageToken(page.NextToken, nextToken, 'ListCommands');
    } while (nextToken !== undefined);
    return found;
  }

  async describeCommand(commandId: string): Promise<CommandProgress> {
    const output = await this.call('ListCommands', { commandId }, () =>
      this.client.send(new ListCommandsCommand({ CommandId: commandId })),
    );
    const command = output.Commands?.find((c) => c.CommandId === commandId);
    if (command === undefined) throw new CommandNotFoundError(commandId);
    return {
      commandId,
      status: command.Status ?? 'Pending',
      targetCount: command.TargetCount ?? 0,
      completedCount: command.CompletedCount ?? 0,
      errorCount: command.ErrorCount ?? 0,
    };
  }

  async listInvocations(commandId: string, nextToken?: string): Promise<InvocationPage> {
    const output = await this.call('ListCommandInvocations', { commandId }, () =>
      this.client.send(
        new ListCommandInvocationsCommand({
          CommandId: commandId,
          Details: true,
          MaxResults: PAGE_SIZE,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      ),
    );
    const invocations: InvocationRecord[] = [];
    for (const invocation of output.CommandInvocations ?? []) {
      const record = toInvocationRecord(invocation);
      if (record !== undefined) invocations.push(record);
    }
    const next = nextPageToken(output.NextToken, nextToken, 'ListCommandInvocations');
    return { invocations, ...(next === undefined ? {} : { nextToken: next }) };
  }

  async fetchOutput(commandId: string, instanceId: string): Promise<string> {
    const output = await this.call('GetCommandInvocation', { commandId, instanceId }, () =>
      this.client.send(
        new GetCommandInvocationCommand({
          CommandId: commandId,
          InstanceId: instanceId,
          ...(this.pluginName === undefined ? {} : { PluginName: this.pluginName }),
        }),
      ),
    );
    return output.StandardOutputContent ?? '';
  }

  /** Every request goes through here: counted (with the SDK's retries) and errors made domain errors. */
  private async call<T extends { $metadata: AttemptMetadata }>(
    operation: string,
    subject: SsmErrorSubject,
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      const output = await send();
      this.stats.recordCall(operation, output.$metadata);
      return output;
    } catch (error) {
      this.stats.recordCall(operation, metadataOf(error), true);
      throw translateSsmError(error, operation, subject);
    }
  }
}

/**
 * One invocation as the scan judges it. With several plugins (a multi-step document) their
 * outputs are joined in document order, a newline between them when one does not end in one.
 */
export function toInvocationRecord(invocation: CommandInvocation): InvocationRecord | undefined {
  if (!invocation.InstanceId) return undefined;
  let output = '';
  for (const plugin of invocation.CommandPlugins ?? []) {
    const text = plugin.Output ?? '';
    if (text === '') continue;
    output += output === '' || output.endsWith('\n') ? text : `\n${text}`;
  }
  return {
    instanceId: invocation.InstanceId,
    status: invocation.Status ?? 'Pending',
    ...(invocation.StatusDetails ? { statusDetails: invocation.StatusDetails } : {}),
    output,
  };
}

/** The token for the next page, or undefined at the end; a token repeated forever would never end. */
function nextPageToken(
  token: string | undefined,
  previous: string | undefined,
  operation: string,
): string | undefined {
  if (!token) return undefined;
  if (token === previous)
    throw new SsmRequestError(operation, undefined, 'the service returned the same NextToken again');
  return token;
}
