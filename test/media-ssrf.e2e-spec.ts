import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGoogle } from './fake-google/fake-google';
import { chat } from './support/pool-harness';
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

  it.each(['[::7f00:1]', '[::127.0.0.1]', '[::a9fe:a9fe]'])(
    'refuses the IPv4-compatible IPv6 address %s without fetching it',
    async (host) => {
      const port = (images.address() as AddressInfo).port;
      const res = await chat(proxy, {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this?' },
              { type: 'image_url', image_url: { url: `http://${host}:${port}/secret.png` } },
            ],
          },
        ],
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/private or local address/);
      expect(imageHits).toBe(0);
    },
  );
});
