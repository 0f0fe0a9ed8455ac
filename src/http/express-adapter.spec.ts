import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProxyExpressAdapter } from './express-adapter';

/**
 * The prototypes a request and its response have when the server hands them over, before
 * Express's own `setPrototypeOf` runs: Express's with our adapter, Node's plain ones without.
 */
async function prototypesOnArrival(adapter: ExpressAdapter): Promise<boolean[]> {
  adapter.initHttpServer({});
  const app = adapter.getInstance<Express>();
  const server = adapter.getHttpServer() as Server;
  let seen: boolean[] = [];
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    seen = [
      Object.getPrototypeOf(req) === app.request,
      Object.getPrototypeOf(res) === app.response,
    ];
  });
  app.use((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return seen;
}

describe('ProxyExpressAdapter', () => {
  it('makes requests and responses with Express’s prototypes from the start', async () => {
    expect(await prototypesOnArrival(new ProxyExpressAdapter())).toEqual([true, true]);
  });

  it('differs from Nest’s own adapter, which leaves Express to re-parent them', async () => {
    expect(await prototypesOnArrival(new ExpressAdapter())).toEqual([false, false]);
  });
});
