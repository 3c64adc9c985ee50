/**
 * The SSM simulator has no Parameter Store. This proxy answers `AmazonSSM.GetParameter` from a
 * map and forwards every other request to the simulator unchanged, so one SSM endpoint serves
 * the whole runtime (Run Command and the advisory parameter) with the real SDK.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ParameterStoreProxy {
  readonly endpoint: string;
  /** GetParameter requests answered so far. */
  getParameterCalls(): number;
  stop(): Promise<void>;
}

export async function startParameterStoreProxy(
  upstream: string,
  parameters: ReadonlyMap<string, string>,
): Promise<ParameterStoreProxy> {
  let calls = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.headers['x-amz-target'] === 'AmazonSSM.GetParameter') {
        calls += 1;
        const name = String((JSON.parse(body) as { Name?: unknown }).Name);
        const value = parameters.get(name);
        const [status, payload] =
          value === undefined
            ? [400, { __type: 'ParameterNotFound', message: `Parameter ${name} not found.` }]
            : [200, { Parameter: { Name: name, Type: 'String', Value: value, Version: 1 } }];
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
      }
      const answer = await fetch(`${upstream}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers,
        body,
      });
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(await answer.text());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    getParameterCalls: () => calls,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
