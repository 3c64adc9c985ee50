import { createHash, randomUUID } from 'node:crypto';
import type { VirtualNode } from '../fleet/virtual-fleet.ts';
import { type CommandRequest, CommandRun } from './command-run.ts';
import { type InvocationDetail, isTerminal, pluginStatusOf, statusOf } from './invocation-status.ts';
import { decodePageToken, encodePageToken } from './pagination-token.ts';
import {
  PLUGIN_OUTPUT_CAPACITY,
  pluginOutput,
  STANDARD_ERROR_CAPACITY,
  STANDARD_OUTPUT_CAPACITY,
} from './plugin-output.ts';
import {
  keyValuesList,
  optionalArray,
  optionalBoolean,
  optionalInteger,
  optionalString,
  type RequestBody,
  requiredString,
  stringArray,
} from './request-fields.ts';
import { epochSeconds, type RequestHandler, type SimulatorContext } from './simulator-context.ts';
import { MAX_INSTANCE_IDS, NODE_ID_PATTERN, resolveTargets } from './target-resolution.ts';
import { validationError, WireError } from './wire-error.ts';

const COMMAND_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// API patterns of SendCommand (research/anchors.md A1).
const MAX_CONCURRENCY_PATTERN = /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/;
const MAX_ERRORS_PATTERN = /^([1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)$/;
/** aws:runShellScript's own default executionTimeout. */
const DEFAULT_EXECUTION_TIMEOUT_SECONDS = 3600;
const MAX_FILTERS = 5;

/** Details in which the probe actually ran and may have printed something. */
const RAN = new Set<InvocationDetail>(['Success', 'Failed', 'ExecutionTimedOut']);

export const sendCommand: RequestHandler = (context, body) => {
  const request = readSendCommand(body);
  const nodes =
    request.targets.length > 0
      ? resolveTargets(context.fleet, request.targets)
      : nodesById(context, request.instanceIds);
  const now = context.clock.now();
  const run = new CommandRun({
    commandId: randomUUID(),
    request,
    requestedAt: now,
    nodes,
    timeoutScale: context.timeoutScale,
  });
  context.commands.push(run);
  context.commandsById.set(run.commandId, run);
  return { Command: commandJson(context, run, now) };
};

export const listCommands: RequestHandler = (context, body) => {
  const commandId = optionalString(body, 'CommandId');
  const instanceId = optionalString(body, 'InstanceId');
  const maxResults = optionalInteger(body, 'MaxResults', 1, 50) ?? 50;
  const filters = readCommandFilters(body, [
    'InvokedAfter',
    'InvokedBefore',
    'Status',
    'ExecutionStage',
    'DocumentName',
  ]);
  const now = context.clock.now();
  const scope = `lc:${commandId ?? '*'}:${instanceId ?? '*'}:${digest(filters)}`;
  const candidates =
    commandId !== undefined ? [knownCommand(context, commandId, 'InvalidCommandId')] : newestFirst(context);
  const token = optionalString(body, 'NextToken');
  const from = token === undefined ? 0 : (decodePageToken(token, scope)[0] as number);
  const page: CommandRun[] = [];
  let next: number | undefined;
  for (let k = from; k < candidates.length; k += 1) {
    const run = candidates[k] as CommandRun;
    if (instanceId !== undefined && run.indexOf(instanceId) === undefined) continue;
    if (!filters.every((f) => commandMatches(run, f, now))) continue;
    if (page.length === maxResults) {
      next = k;
      break;
    }
    page.push(run);
  }
  return {
    Commands: page.map((run) => commandJson(context, run, now)),
    ...(next === undefined ? {} : { NextToken: encodePageToken({ scope, position: [next] }) }),
  };
};

export const listCommandInvocations: RequestHandler = (context, body) => {
  const commandId = optionalString(body, 'CommandId');
  const instanceId = optionalString(body, 'InstanceId');
  const maxResults = optionalInteger(body, 'MaxResults', 1, 50) ?? 50;
  const details = optionalBoolean(body, 'Details') ?? false;
  const filters = readCommandFilters(body, ['InvokedAfter', 'InvokedBefore', 'Status', 'DocumentName']);
  if (commandId !== undefined) knownCommand(context, commandId, 'InvalidCommandId');
  if (instanceId !== undefined && !NODE_ID_PATTERN.test(instanceId)) {
    throw new WireError('InvalidInstanceId', `Instance ID ${instanceId} is not valid.`);
  }
  const now = context.clock.now();
  const scope = `lci:${commandId ?? '*'}:${instanceId ?? '*'}:${digest(filters)}`;
  const token = optionalString(body, 'NextToken');
  // Position = [command index in send order, invocation index]; commands are walked newest first.
  let [ci, ii] = token === undefined ? [context.commands.length - 1, 0] : decodePageToken(token, scope);
  ci = ci ?? context.commands.length - 1;
  ii = ii ?? 0;
  const page: unknown[] = [];
  let next: number[] | undefined;
  scan: for (; ci >= 0; ci -= 1, ii = 0) {
    const run = context.commands[ci] as CommandRun;
    if (commandId !== undefined && run.commandId !== commandId) continue;
    if (!filters.every((f) => f.key === 'Status' || commandMatches(run, f, now))) continue;
    const statusFilter = filters.find((f) => f.key === 'Status');
    const indexes = instanceIndexes(run, instanceId, ii);
    for (const i of indexes) {
      const detail = run.detailAt(i, now);
      if (
        statusFilter !== undefined &&
        statusFilter.value !== statusOf(detail) &&
        statusFilter.value !== detail
      )
        continue;
      if (page.length === maxResults) {
        next = [ci, i];
        break scan;
      }
      page.push(invocationJson(context, run, i, detail, details));
    }
  }
  return {
    CommandInvocations: page,
    ...(next === undefined ? {} : { NextToken: encodePageToken({ scope, position: next }) }),
  };
};

export const getCommandInvocation: RequestHandler = (context, body) => {
  const commandId = requiredString(body, 'CommandId');
  const instanceId = requiredString(body, 'InstanceId');
  const pluginName = optionalString(body, 'PluginName');
  if (!COMMAND_ID_PATTERN.test(commandId))
    throw new WireError('InvalidCommandId', `Command ID ${commandId} is not valid.`);
  if (!NODE_ID_PATTERN.test(instanceId))
    throw new WireError('InvalidInstanceId', `Instance ID ${instanceId} is not valid.`);
  const run = context.commandsById.get(commandId);
  const i = run?.indexOf(instanceId);
  if (run === undefined || i === undefined) {
    throw new WireError(
      'InvocationDoesNotExist',
      `Command ${commandId} has no invocation for ${instanceId}.`,
    );
  }
  if (pluginName !== undefined && pluginName !== context.pluginName) {
    throw new WireError('InvalidPluginName', `The plugin name ${pluginName} is not valid.`);
  }
  const now = context.clock.now();
  const detail = run.detailAt(i, now);
  const node = run.nodes[i] as VirtualNode;
  const done = isTerminal(detail) && RAN.has(detail);
  const started = run.startedAt(i);
  const finished = run.finishedAt(i);
  return {
    CommandId: run.commandId,
    InstanceId: node.instanceId,
    Comment: run.request.comment ?? '',
    DocumentName: run.request.documentName,
    DocumentVersion: run.request.documentVersion ?? '$DEFAULT',
    PluginName: context.pluginName,
    ResponseCode: responseCode(context, node, detail),
    ExecutionStartDateTime: RAN.has(detail) || detail === 'InProgress' ? new Date(started).toISOString() : '',
    ExecutionElapsedTime: done ? `PT${((finished - started) / 1000).toFixed(3)}S` : '',
    ExecutionEndDateTime: done ? new Date(finished).toISOString() : '',
    Status: statusOf(detail),
    StatusDetails: detail,
    StandardOutputContent: done ? context.fleet.stdout(node).slice(0, STANDARD_OUTPUT_CAPACITY) : '',
    StandardOutputUrl: '',
    StandardErrorContent: done ? stderrOf(context, node, detail).slice(0, STANDARD_ERROR_CAPACITY) : '',
    StandardErrorUrl: '',
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
};

function readSendCommand(body: RequestBody): CommandRequest {
  const documentName = requiredString(body, 'DocumentName');
  const instanceIds = optionalArray(body, 'InstanceIds');
  const targets = keyValuesList(body, 'Targets');
  if (instanceIds !== undefined && targets !== undefined && instanceIds.length > 0 && targets.length > 0) {
    throw new WireError('ValidationException', 'Specify either InstanceIds or Targets, not both.');
  }
  if (
    (instanceIds === undefined || instanceIds.length === 0) &&
    (targets === undefined || targets.length === 0)
  ) {
    throw new WireError('ValidationException', 'Specify InstanceIds or Targets.');
  }
  const ids = instanceIds === undefined ? [] : stringArray(instanceIds, 'InstanceIds');
  if (ids.length > MAX_INSTANCE_IDS) {
    // AWS has also been seen answering this with a misleading ThrottlingException (boto/botocore#993).
    throw validationError(
      'instanceIds',
      `[${ids.length} ids]`,
      `Member must have length less than or equal to ${MAX_INSTANCE_IDS}`,
    );
  }
  const maxConcurrency = optionalString(body, 'MaxConcurrency') ?? '50';
  if (!MAX_CONCURRENCY_PATTERN.test(maxConcurrency)) {
    throw validationError(
      'maxConcurrency',
      maxConcurrency,
      `Member must satisfy regular expression pattern: ${MAX_CONCURRENCY_PATTERN.source}`,
    );
  }
  const maxErrors = optionalString(body, 'MaxErrors') ?? '0';
  if (!MAX_ERRORS_PATTERN.test(maxErrors)) {
    throw validationError(
      'maxErrors',
      maxErrors,
      `Member must satisfy regular expression pattern: ${MAX_ERRORS_PATTERN.source}`,
    );
  }
  const comment = optionalString(body, 'Comment');
  if (comment !== undefined && comment.length > 100) {
    throw validationError('comment', comment, 'Member must have length less than or equal to 100');
  }
  const parameters = readParameters(body);
  const executionTimeout = parameters.executionTimeout?.[0];
  const executionTimeoutSeconds =
    executionTimeout === undefined ? DEFAULT_EXECUTION_TIMEOUT_SECONDS : Number(executionTimeout);
  if (
    !Number.isInteger(executionTimeoutSeconds) ||
    executionTimeoutSeconds < 1 ||
    executionTimeoutSeconds > 172_800
  ) {
    throw new WireError(
      'InvalidParameters',
      `executionTimeout ${executionTimeout} is not an integer between 1 and 172800.`,
    );
  }
  return {
    documentName,
    documentVersion: optionalString(body, 'DocumentVersion'),
    comment,
    parameters,
    instanceIds: ids,
    targets: targets ?? [],
    maxConcurrency,
    maxErrors,
    timeoutSeconds: optionalInteger(body, 'TimeoutSeconds', 30, 2_592_000) ?? 3600,
    executionTimeoutSeconds,
    outputS3BucketName: optionalString(body, 'OutputS3BucketName'),
    outputS3KeyPrefix: optionalString(body, 'OutputS3KeyPrefix'),
  };
}

function readParameters(body: RequestBody): Record<string, string[]> {
  const raw = body.Parameters;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new WireError('SerializationException', 'Parameters must be a map.');
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw)) out[key] = stringArray(value, `Parameters.${key}`);
  return out;
}

function nodesById(context: SimulatorContext, ids: readonly string[]): VirtualNode[] {
  const nodes: VirtualNode[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const node = NODE_ID_PATTERN.test(id) ? context.fleet.byId(id) : undefined;
    if (node === undefined) {
      throw new WireError(
        'InvalidInstanceId',
        `Instances [[${id}]] not in a valid state for account ${context.accountId}`,
      );
    }
    if (!seen.has(id)) nodes.push(node);
    seen.add(id);
  }
  return nodes;
}

interface CommandFilter {
  readonly key: string;
  readonly value: string;
}

function readCommandFilters(body: RequestBody, allowed: readonly string[]): CommandFilter[] {
  const raw = optionalArray(body, 'Filters') ?? [];
  if (raw.length > MAX_FILTERS) {
    throw validationError(
      'filters',
      `[${raw.length} filters]`,
      `Member must have length less than or equal to ${MAX_FILTERS}`,
    );
  }
  return raw.map((item) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const key = entry.key;
    const value = entry.value;
    if (typeof key !== 'string' || !allowed.includes(key)) {
      throw new WireError('InvalidFilterKey', `The filter key ${String(key)} is not valid.`);
    }
    if (typeof value !== 'string' || value.length === 0) {
      throw new WireError('InvalidFilterValue', `The filter value for ${key} is not valid.`);
    }
    if ((key === 'InvokedAfter' || key === 'InvokedBefore') && Number.isNaN(Date.parse(value))) {
      throw new WireError('InvalidFilterValue', `The filter value ${value} is not an ISO 8601 timestamp.`);
    }
    return { key, value };
  });
}

function commandMatches(run: CommandRun, filter: CommandFilter, now: number): boolean {
  switch (filter.key) {
    case 'InvokedAfter':
      return run.requestedAt >= Date.parse(filter.value);
    case 'InvokedBefore':
      return run.requestedAt <= Date.parse(filter.value);
    case 'DocumentName':
      return run.request.documentName === filter.value;
    case 'Status': {
      const summary = run.summaryAt(now);
      return summary.status === filter.value || summary.statusDetails === filter.value;
    }
    case 'ExecutionStage': {
      const status = run.summaryAt(now).status;
      const executing = status === 'Pending' || status === 'InProgress';
      return filter.value === 'Executing' ? executing : !executing;
    }
    default:
      return false;
  }
}

function instanceIndexes(run: CommandRun, instanceId: string | undefined, from: number): Iterable<number> {
  if (instanceId !== undefined) {
    const i = run.indexOf(instanceId);
    return i === undefined || i < from ? [] : [i];
  }
  return {
    *[Symbol.iterator]() {
      for (let i = from; i < run.targetCount; i += 1) yield i;
    },
  };
}

function commandJson(context: SimulatorContext, run: CommandRun, now: number): Record<string, unknown> {
  const summary = run.summaryAt(now);
  const request = run.request;
  return {
    CommandId: run.commandId,
    DocumentName: request.documentName,
    DocumentVersion: request.documentVersion ?? '$DEFAULT',
    Comment: request.comment ?? '',
    ExpiresAfter: epochSeconds(run.expiresAt),
    Parameters: request.parameters,
    InstanceIds: request.instanceIds,
    Targets: request.targets.map((t) => ({ Key: t.key, Values: t.values })),
    RequestedDateTime: epochSeconds(run.requestedAt),
    Status: summary.status,
    StatusDetails: summary.statusDetails,
    OutputS3Region: context.region,
    OutputS3BucketName: request.outputS3BucketName ?? '',
    OutputS3KeyPrefix: request.outputS3KeyPrefix ?? '',
    MaxConcurrency: request.maxConcurrency,
    MaxErrors: request.maxErrors,
    TargetCount: summary.targetCount,
    CompletedCount: summary.completedCount,
    ErrorCount: summary.errorCount,
    DeliveryTimedOutCount: summary.deliveryTimedOutCount,
    ServiceRole: '',
    NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    TimeoutSeconds: request.timeoutSeconds,
  };
}

function invocationJson(
  context: SimulatorContext,
  run: CommandRun,
  i: number,
  detail: InvocationDetail,
  details: boolean,
): Record<string, unknown> {
  const node = run.nodes[i] as VirtualNode;
  return {
    CommandId: run.commandId,
    InstanceId: node.instanceId,
    InstanceName: node.hostname,
    Comment: run.request.comment ?? '',
    DocumentName: run.request.documentName,
    DocumentVersion: run.request.documentVersion ?? '$DEFAULT',
    RequestedDateTime: epochSeconds(run.requestedAt),
    Status: statusOf(detail),
    StatusDetails: detail,
    TraceOutput: '',
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    CommandPlugins: details ? [pluginJson(context, run, i, node, detail)] : [],
    ServiceRole: '',
    NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
}

function pluginJson(
  context: SimulatorContext,
  run: CommandRun,
  i: number,
  node: VirtualNode,
  detail: InvocationDetail,
): Record<string, unknown> {
  const done = isTerminal(detail) && RAN.has(detail);
  return {
    Name: context.pluginName,
    Status: pluginStatusOf(detail),
    StatusDetails: detail,
    ResponseCode: responseCode(context, node, detail),
    ...(RAN.has(detail) || detail === 'InProgress'
      ? { ResponseStartDateTime: epochSeconds(run.startedAt(i)) }
      : {}),
    ...(isTerminal(detail) ? { ResponseFinishDateTime: epochSeconds(run.finishedAt(i)) } : {}),
    Output: done
      ? pluginOutput(context.fleet.stdout(node), stderrOf(context, node, detail), PLUGIN_OUTPUT_CAPACITY)
      : '',
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    OutputS3Region: context.region,
    OutputS3BucketName: run.request.outputS3BucketName ?? '',
    OutputS3KeyPrefix: run.request.outputS3KeyPrefix ?? '',
  };
}

/** -1 until the probe ran to an end; 137 when the agent killed it at executionTimeout. */
function responseCode(context: SimulatorContext, node: VirtualNode, detail: InvocationDetail): number {
  if (detail === 'Success') return 0;
  if (detail === 'Failed') return context.fleet.exitCode(node);
  if (detail === 'ExecutionTimedOut') return 137;
  return -1;
}

/** The agent appends its own line when a script exits non-zero. */
function stderrOf(context: SimulatorContext, node: VirtualNode, detail: InvocationDetail): string {
  const stderr = context.fleet.stderr(node);
  if (detail !== 'Failed') return stderr;
  return `\n${stderr.trimEnd()}\nfailed to run commands: exit status ${context.fleet.exitCode(node)}`;
}

function knownCommand(context: SimulatorContext, commandId: string, code: string): CommandRun {
  const run = COMMAND_ID_PATTERN.test(commandId) ? context.commandsById.get(commandId) : undefined;
  if (run === undefined) throw new WireError(code, `Command ID ${commandId} is not valid.`);
  return run;
}

function newestFirst(context: SimulatorContext): CommandRun[] {
  return context.commands.slice().reverse();
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}
