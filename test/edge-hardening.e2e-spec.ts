import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { BodyBudget } from '../src/http/body-budget';
import { BODY_DEADLINES } from '../src/http/body.guard';
import { RequestTracker } from '../src/logging/request-tracker';
import { FakeGoogle } from './fake-google/fake-google';
import { JSON_AUTH, userTurn } from './support/pool-harness';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';
import { RawRequest } from './support/raw-request';
import { waitFor } from './support/wait';

const KEY = 'AIzaEdgeHardeningKeyAAAAAAAAAAAAAAAAaaaaa';
const NATIVE = '/v1beta/models/gemini-2.5-flash:generateContent';
const STREAM = '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';

const nestedArrays = (levels: number) => '['.repeat(levels) + '1' + ']'.repeat(levels);

describe('the HTTP edge', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  const open: RawRequest[] = [];

  const raw = (path: string, headers: Record<string, string | number>) => {
    const request = RawRequest.post(proxy.url, path, headers);
    open.push(request);
    return request;
  };
  const budget = () => proxy.app.get(BodyBudget);

  beforeAll(async () => {
    fake = await FakeGoogle.start({ streamIntervalMs: 10 });
    fake.addApiKey(KEY);
    proxy = await startTestProxy(
      {
        ...fake.env(),
        GEMINI_API_KEYS: KEY,
        BODY_LIMIT: '1mb',
        BODY_BYTES_IN_FLIGHT: '1mb',
        STREAM_HEARTBEAT_MS: '250',
      },
      { overrides: [{ provide: BODY_DEADLINES, useValue: { idleMs: 500, totalMs: 2_500 } }] },
    );
  });

  afterEach(() => {
    for (const request of open.splice(0)) request.destroy();
    fake.reset();
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  describe('the password comes before the body', () => {
    it('answers a client waiting for "100 Continue" with 401 without inviting its body', async () => {
      const request = raw(NATIVE, {
        'content-type': 'application/json',
        'content-length': 1000,
        expect: '100-continue',
      });
      expect(await request.statusLine()).toBe('HTTP/1.1 401 Unauthorized');
      expect(request.text).not.toContain('100 Continue');
    });

    it('invites the body of a client waiting for "100 Continue" once its password is accepted', async () => {
      const body = JSON.stringify(userTurn('continue'));
      const request = raw(NATIVE, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-goog-api-key': TEST_PASSWORD,
        expect: '100-continue',
      });
      expect(await request.statusLine()).toBe('HTTP/1.1 100 Continue');
      request.socket.write(body);
      await waitFor(() => request.text.includes('HTTP/1.1 200 OK'), 5_000, 'the answer');
    });

    it('closes the connection of a refused upload instead of reading the rest of it', async () => {
      const request = raw(NATIVE, { 'content-type': 'application/json', 'content-length': 5_000 });
      request.socket.write('{"contents":');
      expect(await request.statusLine()).toBe('HTTP/1.1 401 Unauthorized');
      expect(request.text.toLowerCase()).toContain('connection: close');
      await request.closed;
    });
  });

  describe('inflated bytes count against BODY_LIMIT', () => {
    const inflated = Buffer.from(JSON.stringify(userTurn('x'.repeat(5 * 1024 * 1024))));

    it.each([
      ['gzip', gzipSync(inflated)],
      ['deflate', deflateSync(inflated)],
      ['br', brotliCompressSync(inflated)],
    ])(
      'refuses a %s body that inflates past BODY_LIMIT with 413 in Google’s shape',
      async (encoding, wire) => {
        expect(wire.length).toBeLessThan(64 * 1024);
        const res = await fetch(`${proxy.url}${NATIVE}`, {
          method: 'POST',
          headers: { ...JSON_AUTH, 'content-encoding': encoding },
          body: wire,
        });
        expect(res.status).toBe(413);
        expect(await res.json()).toEqual({
          error: {
            code: 413,
            message: expect.stringMatching(/BODY_LIMIT/),
            status: 'INVALID_ARGUMENT',
          },
        });
        expect(budget().inFlight).toBe(0);
      },
    );

    it('refuses a gzip bomb on /v1 with 413 in OpenAI’s shape', async () => {
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...JSON_AUTH, 'content-encoding': 'gzip' },
        body: gzipSync(
          JSON.stringify({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }],
          }),
        ),
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe(
        'invalid_request_error',
      );
    });

    it('refuses a Content-Encoding it cannot inflate with 415', async () => {
      const res = await fetch(`${proxy.url}${NATIVE}`, {
        method: 'POST',
        headers: { ...JSON_AUTH, 'content-encoding': 'compress' },
        body: 'anything',
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /Content-Encoding/,
      );
    });

    it('still serves a compressed body within the limit', async () => {
      const res = await fetch(`${proxy.url}${NATIVE}`, {
        method: 'POST',
        headers: { ...JSON_AUTH, 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify(userTurn('zipped'))),
      });
      expect(res.status).toBe(200);
    });
  });

  describe('the budget of body bytes in flight', () => {
    it('answers 503 with Retry-After while BODY_BYTES_IN_FLIGHT is taken, and serves again once it is freed', async () => {
      const holder = raw(NATIVE, {
        'content-type': 'application/json',
        'content-length': 1_000_000,
        authorization: `Bearer ${TEST_PASSWORD}`,
      });
      holder.socket.write(`{"contents":[],"pad":"${'p'.repeat(800_000)}`);
      await waitFor(() => budget().inFlight >= 800_000, 5_000, 'the first body to be held');

      const body = JSON.stringify({ ...userTurn('second'), pad: 'q'.repeat(300_000) });
      const refused = await fetch(`${proxy.url}${NATIVE}`, {
        method: 'POST',
        headers: JSON_AUTH,
        body,
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { error: { status: string } }).error.status).toBe(
        'UNAVAILABLE',
      );

      holder.destroy();
      await waitFor(() => budget().inFlight === 0, 5_000, 'the budget to be freed');
      const served = await fetch(`${proxy.url}${NATIVE}`, {
        method: 'POST',
        headers: JSON_AUTH,
        body,
      });
      expect(served.status).toBe(200);
    });
  });

  describe('JSON depth and syntax', () => {
    it('refuses a body nested past 100 levels with 400 in OpenAI’s shape on /v1', async () => {
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: `{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"hi"}],"deep":${nestedArrays(5000)}}`,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          message: expect.stringMatching(/nested deeper than 100 levels/),
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    });

    it('refuses a body nested past 100 levels with 400 in Google’s shape on /v1beta', async () => {
      const res = await fetch(`${proxy.url}${NATIVE}`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"deep":${nestedArrays(5000)}}`,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 400,
          message: expect.stringMatching(/nested deeper than 100 levels/),
          status: 'INVALID_ARGUMENT',
        },
      });
      expect(fake.requests.filter((r) => r.api !== 'oauth')).toHaveLength(0);
    });

    it('accepts a body nested exactly 100 levels deep', async () => {
      const res = await fetch(`${proxy.url}${NATIVE}`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"deep":${nestedArrays(99)}}`,
      });
      expect(res.status).toBe(200);
    });

    it('answers invalid JSON on /v1 with 400 in OpenAI’s shape', async () => {
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: '{"model": "gemini-2.5-flash", "messages": [',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          message: 'The request body is not valid JSON.',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    });
  });

  describe('slow clients', () => {
    it('answers a body that stops arriving with 408 and frees what it held', async () => {
      const request = raw(NATIVE, {
        'content-type': 'application/json',
        'content-length': 10_000,
        'x-goog-api-key': TEST_PASSWORD,
      });
      request.socket.write(`{"contents":[],"pad":"${'p'.repeat(5_000)}`);
      expect(await request.statusLine()).toBe('HTTP/1.1 408 Request Timeout');
      expect(request.text).toContain('DEADLINE_EXCEEDED');
      await request.closed;
      expect(budget().inFlight).toBe(0);
    });

    it('answers a body that trickles in past its whole-body deadline with 408', async () => {
      const request = raw(NATIVE, {
        'content-type': 'application/json',
        'content-length': 10_000,
        'x-goog-api-key': TEST_PASSWORD,
      });
      const trickle = setInterval(() => request.socket.write(' '), 100);
      try {
        expect(await request.statusLine()).toBe('HTTP/1.1 408 Request Timeout');
      } finally {
        clearInterval(trickle);
      }
      await request.closed;
      expect(budget().inFlight).toBe(0);
    });

    it('drops a streaming client that stops reading, and aborts its upstream call', async () => {
      const event = {
        candidates: [{ content: { role: 'model', parts: [{ text: 'y'.repeat(16_384) }] } }],
      };
      fake.enqueue({ stream: Array.from({ length: 1_500 }, () => event) });
      const body = JSON.stringify(userTurn('a long answer I will not read'));
      const request = raw(STREAM, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${TEST_PASSWORD}`,
      });
      request.socket.write(body);
      expect(await request.statusLine()).toBe('HTTP/1.1 200 OK');
      request.socket.pause();

      await fake.waitForAbort((r) => r.action === 'streamGenerateContent', 15_000);
      await waitFor(
        () => proxy.app.get(RequestTracker).inFlight === 0,
        2_000,
        'the request to end',
      );
    });
  });
});
