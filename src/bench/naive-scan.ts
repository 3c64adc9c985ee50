import { ListCommandInvocationsCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalog } from '../core/advisory/catalog.ts';
import { evaluateBlock, unknownVerdict, unreachableVerdict } from '../core/evaluation/evaluate-node.ts';
import { parseProbeOutput } from '../core/probe/parse-probe-output.ts';
import {
  classifyInvocation,
  isCommandFinished,
  unreachableStatusOf,
} from '../core/scan/invocation-status.ts';
import { toNodeItem } from '../core/store/node-item.ts';
import { buildNodeState } from '../core/store/node-state.ts';
import type { Verdict } from '../core/verdict.ts';
import type { LocalScanEnvironment } from '../local/local-scan.ts';

/**
 * The naive scanner the issue compares against (docs/PERFORMANCE.md): what a first version written
 * from the SSM and DynamoDB API references does.
 *
 *   SendCommand to the targets -> poll ListCommands until the command is done ->
 *   ListCommandInvocations WITHOUT Details (50 per page) to enumerate the nodes ->
 *   per node: GetCommandInvocation (the full output) and PutItem (the node's state).
 *
 * It judges nodes exactly as the real scanner does and writes the same items, so the two differ in
 * their calls only. It runs for real against the same simulator and dynalite, with the same SDK
 * clients and their retry policy.
 */
export interface NaiveScanOptions {
  readonly env: LocalScanEnvironment;
  readonly catalog: Catalog;
  readonly runId: string;
  /** Wait between status polls (the simulator finishes in moments; AWS would be 30 s). */
  readonly pollMs: number;
  /** Nodes fetched and written at once (a typical p-limit setting). */
  readonly concurrency: number;
}

export interface NaiveScanResult {
  readonly nodes: number;
  readonly polls: number;
  readonly listPages: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Write units DynamoDB reported for the PutItems. */
  readonly writeUnits: number;
}

interface ListedInvocation {
  readonly instanceId: string;
  readonly status: string;
  readonly statusDetails?: string;
}

export async function runNaiveScan(options: NaiveScanOptions): Promise<NaiveScanResult> {
  const { env, catalog, runId } = options;
  const { settings, fleet } = env.deps;
  const sent = await fleet.sendProbe({
    documentName: settings.documentName,
    targets: settings.targets,
    maxConcurrency: settings.maxConcurrency,
    maxErrors: settings.maxErrors,
    deliveryTimeoutSeconds: settings.deliveryTimeoutSeconds,
    comment: `naive ${runId}`,
  });

  let polls = 0;
  for (;;) {
    polls += 1;
    const progress = await fleet.describeCommand(sent.commandId);
    if (isCommandFinished(progress.status)) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }

  const listed = await listWithoutDetails(env.clients.ssm, sent.commandId);
  const byStatus: Record<string, number> = {};
  const lastSeen = new Date();
  let writeUnits = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < listed.invocations.length) {
      const invocation = listed.invocations[next]!;
      next += 1;
      const verdict = await judge(env, catalog, sent.commandId, invocation);
      byStatus[verdict.status] = (byStatus[verdict.status] ?? 0) + 1;
      const state = buildNodeState(verdict, {
        runId,
        lastSeen,
        tags: undefined,
        tagKeys: settings.storedTagKeys,
        historyRetentionDays: settings.historyRetentionDays,
      });
      const put = await env.clients.dynamo.doc.send(
        new PutCommand({
          TableName: env.clients.tableName,
          Item: toNodeItem(state).item,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      writeUnits += put.ConsumedCapacity?.CapacityUnits ?? 0;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { nodes: listed.invocations.length, polls, listPages: listed.pages, byStatus, writeUnits };
}

async function listWithoutDetails(
  ssm: SSMClient,
  commandId: string,
): Promise<{ invocations: ListedInvocation[]; pages: number }> {
  const invocations: ListedInvocation[] = [];
  let pages = 0;
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(
      new ListCommandInvocationsCommand({
        CommandId: commandId,
        Details: false,
        MaxResults: 50,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    pages += 1;
    for (const inv of page.CommandInvocations ?? []) {
      if (inv.InstanceId === undefined) continue;
      invocations.push({
        instanceId: inv.InstanceId,
        status: inv.Status ?? 'Unknown',
        ...(inv.StatusDetails === undefined ? {} : { statusDetails: inv.StatusDetails }),
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { invocations, pages };
}

/** One GetCommandInvocation per node whatever its status, as the naive loop does. */
async function judge(
  env: LocalScanEnvironment,
  catalog: Catalog,
  commandId: string,
  invocation: ListedInvocation,
): Promise<Verdict> {
  let output = '';
  try {
    output = await env.deps.fleet.fetchOutput(commandId, invocation.instanceId);
  } catch {
    // An invocation SSM never delivered may have nothing to fetch; its listed status decides.
  }
  const outcome = classifyInvocation(invocation.status, invocation.statusDetails);
  if (outcome !== 'success') {
    return unreachableVerdict(
      invocation.instanceId,
      unreachableStatusOf(invocation.status, invocation.statusDetails),
    );
  }
  const block = parseProbeOutput(output)[0];
  if (!block) return unknownVerdict(invocation.instanceId, 'no probe output in the invocation output');
  return evaluateBlock(block, catalog, invocation.instanceId);
}
