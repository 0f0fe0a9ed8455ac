import { Agent, request } from 'node:http';
import { FakeGoogle, type FakeGoogleOptions } from './fake-google';
import { permissionDenied, rateLimited, serverError } from './google-errors';
import {
  accessToken,
  bearer,
  postJson,
  readAll,
  refresh,
  replyText,
  sseEvents,
  userTurn,
} from './spec-helpers';

const ALICE = { email: 'alice@example.com', refreshToken: 'rt-alice', projectId: 'proj-alice' };
const ENVELOPE = { model: 'gemini-2.5-pro', project: ALICE.projectId, request: userTurn('hi') };

describe('FakeGoogle: scripted answers, faults and load', () => {
  let fake: FakeGoogle;
  let token: string;

  async function startFake(options: FakeGoogleOptions = {}): Promise<void> {
    fake = await FakeGoogle.start(options);
    fake.addOAuthAccount(ALICE);
    token = await accessToken(fake, ALICE.refreshToken);
  }

  afterEach(() => fake.close());

  const call = (method: string, signal?: AbortSignal) =>
    postJson(`${fake.url}/v1internal:${method}`, ENVELOPE, bearer(token), signal);
  const generate = () => call('generateContent');
  const stream = () => call('streamGenerateContent?alt=sse');

  describe('scripted answers', () => {
    beforeEach(() => startFake());

    it('serves a queued answer once, then the default reply again', async () => {
      const scripted = {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Scripted.' }] } }],
      };
      fake.enqueue({ response: scripted }, { model: 'gemini-2.5-pro' });
      const first = (await (await generate()).json()) as { response: unknown };
      const second = (await (await generate()).json()) as { response: unknown };
      expect(replyText(first.response)).toBe('Scripted.');
      expect(replyText(second.response)).toBe('Hello from gemini-2.5-pro: hi');
    });

    it('leaves a queued answer for another credential untouched', async () => {
      const scripted = { candidates: [{ content: { parts: [{ text: 'For Bob.' }] } }] };
      fake.enqueue({ response: scripted }, { credential: 'bob@example.com' });
      const body = (await (await generate()).json()) as { response: unknown };
      expect(replyText(body.response)).toBe('Hello from gemini-2.5-pro: hi');
    });

    it('merges a scripted stream for a non-stream call', async () => {
      fake.enqueue({
        stream: [
          { candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }] },
          {
            candidates: [
              { content: { role: 'model', parts: [{ text: 'lo' }] }, finishReason: 'STOP' },
            ],
            usageMetadata: { totalTokenCount: 9 },
          },
        ],
      });
      const { response } = (await (await generate()).json()) as { response: unknown };
      expect(response).toMatchObject({
        candidates: [{ content: { parts: [{ text: 'Hello' }] }, finishReason: 'STOP' }],
        usageMetadata: { totalTokenCount: 9 },
      });
    });

    it('streams each element of a scripted stream as one event', async () => {
      const part = (text: string) => ({ candidates: [{ content: { parts: [{ text }] } }] });
      fake.enqueue({ stream: [part('a'), part('b')] }, { action: 'streamGenerateContent' });
      const events = sseEvents(await (await stream()).text()) as { response: unknown }[];
      expect(events.map((e) => e.response)).toEqual([part('a'), part('b')]);
    });
    it('sends a scripted error element as an unwrapped mid-stream error event', async () => {
      const error = {
        error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' },
      };
      const first = { candidates: [{ content: { parts: [{ text: 'a' }] } }] };
      fake.enqueue({ stream: [first, error] });
      const events = sseEvents(await (await stream()).text());
      expect(events).toEqual([{ response: first, traceId: expect.any(String) }, error]);
    });
  });

  describe('faults', () => {
    beforeEach(() => startFake());

    it('answers a rate-limit fault with 429, ErrorInfo and RetryInfo, then recovers', async () => {
      fake.failNext(rateLimited(7), { credential: ALICE.email });
      const limited = await generate();
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message:
            'You have exhausted your capacity on this model. Your quota will reset after 7s.',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'RATE_LIMIT_EXCEEDED',
              domain: 'cloudcode-pa.googleapis.com',
              metadata: { model: 'gemini-2.5-pro' },
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
          ],
        },
      });
      expect((await generate()).status).toBe(200);
    });

    it('answers a permission fault with the reason and help links', async () => {
      const links = [{ description: 'Subscribe', url: 'https://example.com/subscribe' }];
      fake.failNext(permissionDenied('SUBSCRIPTION_REQUIRED', 'Buy a licence.', links));
      const res = await generate();
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        error: {
          message: 'Buy a licence.',
          details: [{ reason: 'SUBSCRIPTION_REQUIRED' }, { links }],
        },
      });
    });

    it('keeps a fault without an action away from token refreshes', async () => {
      fake.failNext(serverError(503));
      expect((await refresh(fake, ALICE.refreshToken)).status).toBe(200);
      expect((await generate()).status).toBe(503);
    });

    it('applies a fault with an explicit action to that call only', async () => {
      fake.failNext(serverError(), { action: 'refresh_token' });
      expect((await generate()).status).toBe(200);
      expect((await refresh(fake, ALICE.refreshToken)).status).toBe(500);
    });

    it('repeats a fault the given number of times', async () => {
      fake.failNext(serverError(), { times: 2 });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await generate()).status);
      expect(statuses).toEqual([500, 500, 200]);
    });

    it('cuts a stream after the given number of events without calling it a client abort', async () => {
      fake.failNext({ kind: 'cutMidStream', afterEvents: 1 });
      const { text, error } = await readAll(await stream());
      expect(error).toBeDefined();
      expect(sseEvents(text)).toHaveLength(1);
      expect(fake.requests.at(-1)?.aborted).toBe(false);
    });

    it('cuts a non-stream answer halfway through its body', async () => {
      fake.failNext({ kind: 'cutMidStream', afterEvents: 0 });
      const res = await generate();
      await expect(res.json()).rejects.toThrow();
    });

    it('delays the first byte by a slowFirstByte fault', async () => {
      fake.failNext({ kind: 'slowFirstByte', ms: 150 });
      const started = Date.now();
      expect((await generate()).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('holds the calls a gather fault answers until the last one arrives', async () => {
      fake.failNext({ ...rateLimited(30), gather: 3 }, { times: 3 });
      const first = generate();
      await fake.waitForRequest((r) => r.action === 'generateContent');
      const early = await Promise.race([
        first.then(() => 'answered'),
        new Promise((resolve) => setTimeout(resolve, 200, 'held')),
      ]);
      expect(early).toBe('held');
      const all = await Promise.all([first, generate(), generate()]);
      expect(all.map((r) => r.status)).toEqual([429, 429, 429]);
    });

    it('records a hanging call as aborted once the client gives up', async () => {
      fake.failNext({ kind: 'hang' });
      const controller = new AbortController();
      const hanging = call('generateContent', controller.signal);
      await fake.waitForRequest((r) => r.action === 'generateContent');
      controller.abort();
      await expect(hanging).rejects.toThrow();
      const aborted = await fake.waitForAbort((r) => r.action === 'generateContent');
      expect(aborted).toMatchObject({ credential: ALICE.email, aborted: true });
    });

    it('records a stream the client leaves midway as aborted', async () => {
      await fake.close();
      await startFake({ streamIntervalMs: 200 });
      const controller = new AbortController();
      const res = await call('streamGenerateContent?alt=sse', controller.signal);
      await res.body!.getReader().read();
      controller.abort();
      const aborted = await fake.waitForAbort((r) => r.action === 'streamGenerateContent');
      expect(aborted.aborted).toBe(true);
    });

    it('ends a hanging call at close() instead of leaving its client waiting', async () => {
      fake.failNext({ kind: 'hang' });
      const hanging = generate();
      await fake.waitForRequest((r) => r.action === 'generateContent');
      await fake.close();
      await expect(hanging).rejects.toThrow();
      expect(fake.requests.at(-1)?.aborted).toBe(false);
    });
  });

  describe('options and load', () => {
    it('waits latencyMs before answering a generate call', async () => {
      await startFake({ latencyMs: 120 });
      const started = Date.now();
      await (await generate()).json();
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    });

    it('streams streamEvents events, streamIntervalMs apart', async () => {
      await startFake({ streamEvents: 5, streamIntervalMs: 40 });
      const started = Date.now();
      const events = sseEvents(await (await stream()).text());
      expect(events).toHaveLength(5);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    });

    it('keeps no log when recording is disabled', async () => {
      await startFake({ record: false });
      await generate();
      expect(fake.requests).toHaveLength(0);
      expect(fake.tokenRefreshes(ALICE.refreshToken)).toBe(1);
    });

    it('holds 1,000 streams open at once and still answers other calls', async () => {
      // The second event is a minute away, so every stream stays open until the agent is destroyed.
      await startFake({ streamEvents: 2, streamIntervalMs: 60_000 });
      const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
      const url = `${fake.url}/v1internal:streamGenerateContent?alt=sse`;
      try {
        const firstEvents = await Promise.all(
          Array.from({ length: 1000 }, () => firstChunk(url, ENVELOPE, bearer(token), agent)),
        );
        expect(firstEvents.every((text) => sseEvents(text).length === 1)).toBe(true);
        expect((await generate()).status).toBe(200);
      } finally {
        agent.destroy();
      }
      const open = fake.requests.filter((r) => r.action === 'streamGenerateContent');
      expect(open).toHaveLength(1000);
    });

    it('forgets queued answers, faults and records on reset but keeps accounts', async () => {
      await startFake();
      fake.failNext(serverError());
      fake.reset();
      expect(fake.requests).toHaveLength(0);
      expect((await generate()).status).toBe(200);
    });
  });
});

/**
 * POSTs through node:http (which opens 1,000 sockets far faster than fetch inside Jest) and
 * resolves with the first chunk of the answer, leaving the response open.
 */
function firstChunk(url: string, body: unknown, headers: Record<string, string>, agent: Agent) {
  return new Promise<string>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.once('data', (chunk: string) => resolve(chunk));
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
