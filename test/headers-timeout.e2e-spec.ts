import { CONNECTION_LIMITS } from '../src/http/connection-limits';
import { FakeGoogle } from './fake-google/fake-google';
import { RunningProxy, startTestProxy } from './support/proxy';
import { RawRequest } from './support/raw-request';

const KEY = 'AIzaConnectionLimitsKeyAAAAAAAAAAAAAAAbcdef';

// Apart from the other connection limits (connection-limits.e2e-spec.ts) because it times the
// default headers timeout to within two seconds: `npm test` runs it in band, alone on the box.
describe('the default headers timeout of the HTTP server', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy | undefined;
  let request: RawRequest | undefined;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
  });

  afterAll(async () => {
    request?.destroy();
    await proxy?.close();
    await fake?.close();
  });

  it('closes a connection whose headers trickle in, once the default headers timeout is over', async () => {
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY });
    const raw = new RawRequest(proxy.url, '');
    request = raw;
    const head = `GET /health HTTP/1.1\r\nhost: localhost\r\nx-pad: ${'p'.repeat(200)}\r\n\r\n`;
    const startedAt = Date.now();
    let sent = 0;
    // A byte every 100 ms: the headers would take 24 s to arrive.
    const trickle = setInterval(() => {
      if (sent < head.length && !raw.socket.destroyed) raw.socket.write(head[sent++]);
    }, 100);
    try {
      await raw.closed;
    } finally {
      clearInterval(trickle);
    }
    const lasted = Date.now() - startedAt;
    expect(CONNECTION_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(lasted).toBeGreaterThanOrEqual(CONNECTION_LIMITS.headersTimeoutMs - 100);
    // Node looks for late headers once a second.
    expect(lasted).toBeLessThan(CONNECTION_LIMITS.headersTimeoutMs + 2_000);
    expect(sent).toBeLessThan(head.length);
    expect(raw.text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 20_000);
});
