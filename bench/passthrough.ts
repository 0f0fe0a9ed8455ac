/**
 * The reference: the least any extra HTTP hop costs. A plain Node `http` proxy that forwards each
 * request to the fake Google unchanged over a keep-alive agent and streams both bodies through,
 * with no parsing, no auth and no credential choice. Run as a child process of the benchmark
 * (`PASSTHROUGH_TARGET`, `PORT`), so that it gets its own core exactly as the proxy does.
 */
import { Agent, createServer, IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

// RFC 9110 §7.6.1: connection-specific fields are not forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function forwardable(headers: IncomingHttpHeaders, host?: string): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
  if (host) out.host = host;
  return out;
}

export function startPassthrough(
  target: string,
  port: number,
): Promise<{ url: string; close(): void }> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
  const server = createServer({ noDelay: true, keepAliveTimeout: 60_000 }, (req, res) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: forwardable(req.headers, upstream.host),
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        close: () => {
          server.close();
          server.closeAllConnections();
          agent.destroy();
        },
      });
    });
  });
}

if (require.main === module) {
  const target = process.env.PASSTHROUGH_TARGET;
  if (!target) throw new Error('PASSTHROUGH_TARGET is required');
  startPassthrough(target, Number(process.env.PORT ?? 0))
    .then(({ url, close }) => {
      const stop = () => {
        close();
        process.exit(0);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      process.send?.({ type: 'ready', url });
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
