import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGoogle } from './fake-google/fake-google';
import { JSON_AUTH } from './support/pool-harness';
import { Dialect, DIALECTS } from './support/dialects';
import { RunningProxy, startTestProxy } from './support/proxy';

const KEY = 'AIzaSsrfKeyAAAAAAAAAAAAAAAAAAAAAAAAAssrf';

describe('image URLs that point inside the host', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let images: Server;
  let imageHits = 0;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY });
    // Listens on both stacks, so that a fetch that got through would be seen here.
    images = createServer((_req, res) => {
      imageHits++;
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(8));
    });
    await new Promise<void>((resolve) => images.listen(0, '::', resolve));
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
    await new Promise((resolve) => images?.close(resolve));
  });

  const HOSTS = ['[::7f00:1]', '[::127.0.0.1]', '[::a9fe:a9fe]', '127.0.0.1'];
  const cases = DIALECTS.flatMap((dialect) =>
    HOSTS.map((host): [string, string, Dialect] => [dialect.path, host, dialect]),
  );

  it.each(cases)(
    'on %s, refuses the local address %s without fetching it',
    async (path, host, dialect) => {
      const port = (images.address() as AddressInfo).port;
      const res = await fetch(`${proxy.url}${path}`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify(dialect.withImages([`http://${host}:${port}/secret.png`])),
      });
      expect(res.status).toBe(400);
      expect(dialect.errorMessage(await res.json())).toMatch(/private or local address/);
      expect(imageHits).toBe(0);
      const upstream = fake.requests.filter((r) =>
        ['generateContent', 'countTokens'].includes(String(r.action)),
      );
      expect(upstream).toHaveLength(0);
    },
  );
});
