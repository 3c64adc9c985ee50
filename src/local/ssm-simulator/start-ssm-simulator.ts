import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VirtualFleet } from '../fleet/virtual-fleet.ts';
import { type Clock, systemClock } from './clock.ts';
import type { CommandRequest } from './command-run.ts';
import { chaosFaultPlan, createThrottler, type FaultPlan } from './fault-plan.ts';
import {
  describeMaintenanceWindowSchedule,
  describeMaintenanceWindows,
  describeMaintenanceWindowsForTarget,
  describeMaintenanceWindowTargets,
  getMaintenanceWindow,
} from './maintenance-window-api.ts';
import { describeInstanceInformation, listTagsForResource } from './managed-node-api.ts';
import {
  getCommandInvocation,
  listCommandInvocations,
  listCommands,
  sendCommand,
} from './run-command-api.ts';
import type { RequestHandler, SimulatorContext } from './simulator-context.ts';
import { getResources } from './tagging-api.ts';
import { WireError } from './wire-error.ts';

export interface SsmSimulatorOptions {
  readonly fleet: VirtualFleet;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Service-side faults (throttling bursts).
   * @default chaosFaultPlan(fleet.seed) for a chaos fleet, none otherwise
   */
  readonly faults?: FaultPlan;
  /** @default 0 (an ephemeral port on 127.0.0.1) */
  readonly port?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /**
   * Multiplies every AWS timeout (TimeoutSeconds, executionTimeout, hence ExpiresAfter). 1 is
   * faithful; with the real clock, 0.001 turns a 600 s delivery timeout into 0.6 s so that offline,
   * vanished and timed-out nodes settle within a local scan.
   * @default 1
   */
  readonly timeoutScale?: number;
  /** CommandPlugin Name of the command's single step. @default 'aws:runShellScript' */
  readonly pluginName?: string;
}

export interface OperationStats {
  /** Every request that named the operation, throttled ones included. */
  readonly calls: number;
  readonly throttled: number;
  /** Error answers other than throttling (validation, unknown ids...). */
  readonly errors: number;
}

export interface CallStats {
  /** Keyed by operation name (`SendCommand`, `GetResources`...). */
  readonly byOperation: Readonly<Record<string, OperationStats>>;
  readonly calls: number;
  readonly throttled: number;
}

export interface SentCommandRecord {
  readonly commandId: string;
  readonly requestedAt: number;
  readonly targetCount: number;
  readonly request: CommandRequest;
}

export interface SsmSimulator {
  /** `http://127.0.0.1:<port>`: the `endpoint` of SSMClient (and of the Tagging API client). */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
  stats(): CallStats;
  /** Every SendCommand accepted so far, in order, as requested (document name, targets...). */
  sentCommands(): readonly SentCommandRecord[];
}

const SSM_TARGET = 'AmazonSSM';
const TAGGING_TARGET = 'ResourceGroupsTaggingAPI_20170126';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const OPERATIONS: Readonly<Record<string, Readonly<Record<string, RequestHandler>>>> = {
  [SSM_TARGET]: {
    SendCommand: sendCommand,
    ListCommands: listCommands,
    ListCommandInvocations: listCommandInvocations,
    GetCommandInvocation: getCommandInvocation,
    DescribeInstanceInformation: describeInstanceInformation,
    ListTagsForResource: listTagsForResource,
    DescribeMaintenanceWindows: describeMaintenanceWindows,
    GetMaintenanceWindow: getMaintenanceWindow,
    DescribeMaintenanceWindowTargets: describeMaintenanceWindowTargets,
    DescribeMaintenanceWindowSchedule: describeMaintenanceWindowSchedule,
    DescribeMaintenanceWindowsForTarget: describeMaintenanceWindowsForTarget,
  },
  [TAGGING_TARGET]: { GetResources: getResources },
};

/** Each service's own throttling error code. */
const THROTTLE_CODE: Readonly<Record<string, string>> = {
  [SSM_TARGET]: 'ThrottlingException',
  [TAGGING_TARGET]: 'ThrottledException',
};

/**
 * Starts the local SSM service: an HTTP server on 127.0.0.1 speaking the AWS JSON 1.1 protocol
 * (POST /, `X-Amz-Target: AmazonSSM.<Operation>`), so the real `@aws-sdk/client-ssm` can talk to
 * it with an endpoint override. It also answers the Resource Groups Tagging API's GetResources
 * on the same port. Signatures are not checked, but a request must carry an Authorization header
 * (the SDK always signs).
 */
export async function startSsmSimulator(options: SsmSimulatorOptions): Promise<SsmSimulator> {
  const { fleet } = options;
  const context: SimulatorContext = {
    fleet,
    clock: options.clock ?? systemClock,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    timeoutScale: options.timeoutScale ?? 1,
    pluginName: options.pluginName ?? 'aws:runShellScript',
    commands: [],
    commandsById: new Map(),
  };
  const throttler = createThrottler(
    options.faults ?? (fleet.faults === 'chaos' ? chaosFaultPlan(fleet.seed) : undefined),
  );
  const stats = new Map<string, { calls: number; throttled: number; errors: number }>();
  const statsFor = (operation: string) => {
    let s = stats.get(operation);
    if (s === undefined) {
      s = { calls: 0, throttled: 0, errors: 0 };
      stats.set(operation, s);
    }
    return s;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const [service = '', operation = ''] = String(req.headers['x-amz-target'] ?? '').split('.');
    const handler = OPERATIONS[service]?.[operation];
    const s = handler === undefined ? undefined : statsFor(operation);
    if (s !== undefined) s.calls += 1;
    try {
      const raw = await readBody(req);
      if (req.method !== 'POST' || handler === undefined) {
        throw new WireError('UnknownOperationException', `Unknown operation ${service}.${operation}`);
      }
      if (req.headers.authorization === undefined) {
        throw new WireError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        throw new WireError('SerializationException', 'Content-Type must be application/x-amz-json-1.1');
      }
      if (throttler.shouldThrottle(operation)) {
        if (s !== undefined) s.throttled += 1;
        throw new WireError(THROTTLE_CODE[service] as string, 'Rate exceeded');
      }
      const body = parseJsonObject(raw);
      send(res, 200, handler(context, body));
    } catch (error) {
      const wire =
        error instanceof WireError
          ? error
          : new WireError('InternalServerError', error instanceof Error ? error.message : String(error), 500);
      if (s !== undefined && wire.code !== THROTTLE_CODE[service]) s.errors += 1;
      send(res, wire.status, { __type: wire.code, message: wire.message });
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    stats: () => {
      const byOperation: Record<string, OperationStats> = {};
      let calls = 0;
      let throttled = 0;
      for (const [operation, s] of stats) {
        byOperation[operation] = { ...s };
        calls += s.calls;
        throttled += s.throttled;
      }
      return { byOperation, calls, throttled };
    },
    sentCommands: () =>
      context.commands.map((run) => ({
        commandId: run.commandId,
        requestedAt: run.requestedAt,
        targetCount: run.targetCount,
        request: run.request,
      })),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES)
        reject(new WireError('SerializationException', 'Request body too large', 413));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function parseJsonObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new WireError('SerializationException', 'Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new WireError('SerializationException', 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}
