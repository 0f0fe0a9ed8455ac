import type { Server } from 'node:http';
import { CONNECTION_LIMITS, ConnectionLimits } from '../src/http/connection-limits';
import { FakeGoogle } from './fake-google/fake-google';
import { dataFrames, readSse, streamNative } from './support/pool-harness';
import { RunningProxy, startTestProxy } from './support/proxy';
import { RawRequest } from './support/raw-request';
import { waitFor } from './support/wait';

const KEY = 'AIzaConnectionLimitsKeyAAAAAAAAAAAAAAAbcdef';
const HEALTH = 'GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n';

// The default headers timeout, timed to within two seconds, is in headers-timeout.e2e-spec.ts.
describe('connection limits of the HTTP server', () => {
  let fake: FakeGoogle;
  const running: RunningProxy[] = [];
  const open: RawRequest[] = [];

  const start = async (connectionLimits?: ConnectionLimits) => {
    const proxy = await startTestProxy(
      { ...fake.env(), GEMINI_API_KEYS: KEY },
      { connectionLimits },
    );
    running.push(proxy);
    return proxy;
  };
  const raw = (proxy: RunningProxy, head = '', localAddress?: string) => {
    const request = new RawRequest(proxy.url, head, localAddress);
    open.push(request);
    return request;
  };

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
  });

  afterEach(async () => {
    for (const request of open.splice(0)) request.destroy();
    for (const proxy of running.splice(0)) await proxy.close();
    fake.reset();
  });

  afterAll(() => fake?.close());

  describe('with timeouts shortened to a second', () => {
    const short: ConnectionLimits = {
      headersTimeoutMs: 500,
      requestTimeoutMs: 1_000,
      maxConnections: 100,
      maxConnectionsPerAddress: 100,
    };

    it('keeps a stream going long after both timeouts are over', async () => {
      const proxy = await start(short);
      fake.failNext({ kind: 'slowStream', events: 12, intervalMs: 250 });
      const startedAt = Date.now();
      const res = await streamNative(proxy, 'a long answer');
      expect(res.status).toBe(200);
      const frames = await readSse(res, startedAt);
      expect(Date.now() - startedAt).toBeGreaterThan(2_500);
      expect(dataFrames(frames)).toHaveLength(12);
    });

    it('serves the next request of a keep-alive connection that sat idle past the headers timeout', async () => {
      const proxy = await start(short);
      const request = raw(proxy, HEALTH);
      await waitFor(() => request.text.includes('"status"'), 5_000, 'the first answer');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      request.socket.write(HEALTH);
      await waitFor(
        () => request.text.split('HTTP/1.1 200 OK').length === 3,
        5_000,
        'the second answer on the same connection',
      );
      expect(request.socket.destroyed).toBe(false);
    });
  });

  it('closes connections past the cap unanswered, and accepts again once one has closed', async () => {
    const proxy = await start({ ...CONNECTION_LIMITS, maxConnections: 2 });
    const server = proxy.app.getHttpServer() as Server;
    const connections = () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    const held = [raw(proxy, HEALTH), raw(proxy, HEALTH)];
    for (const request of held) await request.statusLine();

    const refused = raw(proxy, HEALTH);
    await refused.closed;
    expect(refused.text).toBe('');

    held[0].destroy();
    await waitFor(async () => (await connections()) < 2, 5_000, 'a connection to close');
    expect((await fetch(`${proxy.url}/health`)).status).toBe(200);
  });

  describe('a share of the cap per client address', () => {
    // Headers that never end: each holds its connection until the headers timeout.
    const HALF_SENT = 'POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\ncontent-le';
    const ATTACKER = '127.0.0.2';
    const stillOpen = (requests: RawRequest[]) =>
      requests.filter((request) => !request.socket.destroyed).length;
    const healthFromLegitimateClient = async (proxy: RunningProxy) => {
      const res = await fetch(`${proxy.url}/health`, { headers: { connection: 'close' } });
      return res.status;
    };

    it('keeps connections open for other clients while one address holds half-sent requests', async () => {
      const proxy = await start({
        ...CONNECTION_LIMITS,
        // Long enough that the held requests outlast the test on a busy machine.
        headersTimeoutMs: 120_000,
        maxConnections: 12,
        maxConnectionsPerAddress: 4,
      });
      const attack = Array.from({ length: 40 }, () => raw(proxy, HALF_SENT, ATTACKER));
      await waitFor(() => stillOpen(attack) <= 4, 10_000, 'the address to be held to its share');
      const statuses = await Promise.all(
        Array.from({ length: 8 }, () => healthFromLegitimateClient(proxy)),
      );
      expect(statuses).toEqual(Array(8).fill(200));
      expect(stillOpen(attack)).toBe(4);
      expect(attack.every((request) => request.text === '')).toBe(true);
    });

    it('takes the share from MAX_CONNECTIONS_PER_ADDRESS and gives a slot back when a connection closes', async () => {
      const proxy = await startTestProxy({
        ...fake.env(),
        GEMINI_API_KEYS: KEY,
        MAX_CONNECTIONS_PER_ADDRESS: '3',
      });
      running.push(proxy);
      const held = Array.from({ length: 3 }, () => raw(proxy, HALF_SENT, ATTACKER));
      await waitFor(async () => (await openConnections(proxy)) === 3, 5_000, 'three connections');
      const refused = raw(proxy, HEALTH, ATTACKER);
      await refused.closed;
      expect(refused.text).toBe('');
      expect(await healthFromLegitimateClient(proxy)).toBe(200);

      held[0].destroy();
      await waitFor(async () => (await openConnections(proxy)) < 3, 5_000, 'a slot to free up');
      const admitted = raw(proxy, HEALTH, ATTACKER);
      expect(await admitted.statusLine()).toBe('HTTP/1.1 200 OK');
    });
  });
});

function openConnections(proxy: RunningProxy): Promise<number> {
  const server = proxy.app.getHttpServer() as Server;
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}
