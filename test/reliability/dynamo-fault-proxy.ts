import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrng, mixSeed } from '../../src/local/fleet/prng.ts';

/**
 * A fault-injecting HTTP proxy in front of the embedded DynamoDB (dynalite), for the faults dynalite
 * never produces: throttling, and BatchWriteItem answering with UnprocessedItems. The real SDK
 * client talks to it as to DynamoDB (AWS JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Operation>`),
 * so the retries under test are the SDK's own (adaptive mode) and the store's UnprocessedItems loop.
 */
export interface DynamoFaults {
  readonly seed: number;
  /**
   * Throttling: the first `firstBurst` calls of every operation are refused (so each operation
   * meets at least one), then a burst of `burst` starts with `probability` on any later call.
   */
  readonly throttle?: { readonly firstBurst: number; readonly probability: number; readonly burst: number };
  /** Every BatchWriteItem of two items or more writes only the first half and returns the rest unprocessed. */
  readonly unprocessedHalf?: boolean;
}

export interface DynamoFaultStats {
  /** Calls per operation, throttled ones included. */
  readonly calls: Record<string, number>;
  readonly throttled: Record<string, number>;
  /** BatchWriteItem calls answered with UnprocessedItems, and the items so returned. */
  readonly partialBatches: number;
  readonly unprocessedItems: number;
  /** BatchWriteItem calls that carried two items or more (each of them came back partial). */
  readonly multiItemBatches: number;
}

export interface DynamoFaultProxy {
  readonly endpoint: string;
  stats(): DynamoFaultStats;
  stop(): Promise<void>;
}

const THROTTLE_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded.',
});

export async function startDynamoFaultProxy(target: string, faults: DynamoFaults): Promise<DynamoFaultProxy> {
  const upstream = new URL(target);
  const stats = { calls: {} as Record<string, number>, throttled: {} as Record<string, number>, partialBatches: 0, unprocessedItems: 0, multiItemBatches: 0 };
  const bursts = new Map<string, { prng: ReturnType<typeof createPrng>; remaining: number; seen: number }>();

  const shouldThrottle = (operation: string): boolean => {
    const rule = faults.throttle;
    if (rule === undefined) return false;
    let s = bursts.get(operation);
    if (s === undefined) {
      s = { prng: createPrng(mixSeed(faults.seed, 'dynamo-throttle', operation)), remaining: rule.firstBurst, seen: 0 };
      bursts.set(operation, s);
    }
    s.seen += 1;
    if (s.remaining > 0) {
      s.remaining -= 1;
      return true;
    }
    if (s.prng.chance(rule.probability)) {
      s.remaining = Math.max(1, rule.burst) - 1;
      return true;
    }
    return false;
  };

  const forward = (req: IncomingMessage, body: string): Promise<{ status: number; headers: Record<string, string>; body: string }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      headers['content-length'] = String(Buffer.byteLength(body));
      headers.host = upstream.host;
      const out = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
            resolve({ status: res.statusCode ?? 500, headers: h, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const reply = (res: ServerResponse, status: number, headers: Record<string, string>, body: string): void => {
    const h = { ...headers };
    // The body may have changed: its length and checksum are recomputed (or dropped) here.
    delete h['x-amz-crc32'];
    delete h['transfer-encoding'];
    h['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(status, h);
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
    if (shouldThrottle(operation)) {
      stats.throttled[operation] = (stats.throttled[operation] ?? 0) + 1;
      reply(res, 400, { 'content-type': 'application/x-amz-json-1.0' }, THROTTLE_BODY);
      return;
    }
    if (operation === 'BatchWriteItem' && faults.unprocessedHalf) {
      const input = JSON.parse(body) as { RequestItems: Record<string, unknown[]> } & Record<string, unknown>;
      const kept: Record<string, unknown[]> = {};
      const left: Record<string, unknown[]> = {};
      let multi = false;
      for (const [table, requests] of Object.entries(input.RequestItems)) {
        if (requests.length >= 2) multi = true;
        const cut = Math.ceil(requests.length / 2);
        kept[table] = requests.slice(0, cut);
        if (requests.length >= 2) left[table] = requests.slice(cut);
      }
      if (multi) {
        stats.multiItemBatches += 1;
        const answer = await forward(req, JSON.stringify({ ...input, RequestItems: kept }));
        if (answer.status !== 200) return reply(res, answer.status, answer.headers, answer.body);
        const output = JSON.parse(answer.body) as { UnprocessedItems?: Record<string, unknown[]> };
        const unprocessed: Record<string, unknown[]> = { ...(output.UnprocessedItems ?? {}) };
        for (const [table, requests] of Object.entries(left)) unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
        stats.partialBatches += 1;
        stats.unprocessedItems += Object.values(left).reduce((n, r) => n + r.length, 0);
        reply(res, 200, answer.headers, JSON.stringify({ ...output, UnprocessedItems: unprocessed }));
        return;
      }
    }
    const answer = await forward(req, body);
    reply(res, answer.status, answer.headers, answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      reply(res, 500, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify({ __type: 'InternalServerError', message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => structuredClone(stats),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
