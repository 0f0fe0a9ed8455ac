import { get } from 'node:http';
import { FakeGoogle } from './fake-google/fake-google';
import { rateLimited } from './fake-google/google-errors';
import { JSON_AUTH, readSse, userTurn } from './support/pool-harness';
import { TEST_PASSWORD } from './support/proxy';
import { ProxyProcess } from './support/proxy-process';
import { waitFor } from './support/wait';

const KEY_A = 'AIzaShutdownKeyAAAAAAAAAAAAAAAAAAAAaaaaa';
const KEY_B = 'AIzaShutdownKeyBBBBBBBBBBBBBBBBBBBBbbbbb';

/** A request on a brand-new connection (no keep-alive pool), to see whether the port still accepts. */
function freshConnection(url: string): Promise<'accepted' | 'refused'> {
  return new Promise((resolve) => {
    const req = get(`${url}/health`, { agent: false }, (res) => {
      res.resume();
      resolve('accepted');
    });
    req.on('error', () => resolve('refused'));
  });
}

function streamRequest(url: string, text: string, init: RequestInit = {}) {
  return fetch(`${url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify(userTurn(text)),
    ...init,
  });
}

function generateRequest(url: string, text: string, query = '') {
  return fetch(`${url}/v1beta/models/gemini-2.5-flash:generateContent${query}`, {
    method: 'POST',
    headers: query ? { 'content-type': 'application/json' } : JSON_AUTH,
    body: JSON.stringify(userTurn(text)),
  });
}

describe('graceful shutdown of the proxy process', () => {
  let fake: FakeGoogle;
  let proc: ProxyProcess | undefined;

  beforeAll(async () => {
    fake = await FakeGoogle.start({ streamEvents: 5, streamIntervalMs: 300 });
    fake.addApiKey(KEY_A);
  });

  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
    fake.reset();
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('lets a stream in flight finish after SIGTERM, refuses new connections meanwhile, then exits 0', async () => {
    proc = await ProxyProcess.start({ ...fake.env(), GEMINI_API_KEYS: KEY_A });
    const res = await streamRequest(proc.url, 'please keep streaming while we stop');
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let body = '';
    while (!body.includes('data:'))
      body += decoder.decode((await reader.read()).value, { stream: true });

    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    await waitFor(
      () => proc!.output.includes('no longer accepting connections'),
      10_000,
      'the drain to start',
    );
    expect(await freshConnection(proc.url)).toBe('refused');

    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      body += decoder.decode(value, { stream: true });
    }
    const events = body
      .split('\n\n')
      .filter((f) => f.startsWith('data: '))
      .map(
        (f) =>
          JSON.parse(f.slice(6)) as {
            candidates?: { content: { parts: { text: string }[] }; finishReason?: string }[];
            error?: unknown;
          },
      );
    expect(events.some((e) => e.error)).toBe(false);
    expect(events).toHaveLength(5);
    expect(events[4].candidates![0].finishReason).toBe('STOP');
    expect(events.map((e) => e.candidates![0].content.parts[0].text).join('')).toBe(
      'Hello from gemini-2.5-flash: please keep streaming while we stop',
    );
    expect(Date.now() - signalledAt).toBeGreaterThan(600);

    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.output).toMatch(/Stopped cleanly/);
  });

  it('closes streams still running when SHUTDOWN_GRACE_MS runs out, aborting them upstream, and exits 0', async () => {
    proc = await ProxyProcess.start({
      ...fake.env(),
      GEMINI_API_KEYS: KEY_A,
      SHUTDOWN_GRACE_MS: '500',
    });
    fake.failNext({ kind: 'slowFirstByte', ms: 60_000 });
    const pending = streamRequest(proc.url, 'this one never ends')
      .then((res) => readSse(res))
      .catch((error: Error) => error);
    await fake.waitForRequest((r) => r.action === 'streamGenerateContent');

    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const took = Date.now() - signalledAt;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(5_000);
    expect(proc.output).toMatch(/Grace period over: closing 1 unfinished request/);
    await fake.waitForAbort((r) => r.action === 'streamGenerateContent', 2_000);
    await pending;
  });

  it('exits 0 at once on SIGINT when nothing is in flight', async () => {
    proc = await ProxyProcess.start({ ...fake.env(), GEMINI_API_KEYS: KEY_A });
    expect((await generateRequest(proc.url, 'one')).status).toBe(200);
    const signalledAt = Date.now();
    proc.child.kill('SIGINT');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    // Far below the 10 s grace period that a shutdown waiting for nothing would sit out.
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
  });
});

/** Reads a streamed answer up to its first data frame; `rest` settles with the whole text once it ends. */
async function startedStream(res: Response): Promise<{ rest: Promise<string> }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('data:')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const rest = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      return `${text}\n[connection cut]`;
    }
  })();
  return { rest };
}

function lastDataFrame(text: string): unknown {
  const frames = text.split('\n\n').filter((f) => f.startsWith('data: ') && f !== 'data: [DONE]');
  return JSON.parse(frames[frames.length - 1].slice(6));
}

describe('shutdown past SHUTDOWN_GRACE_MS', () => {
  let fake: FakeGoogle;
  let proc: ProxyProcess | undefined;

  beforeAll(async () => {
    fake = await FakeGoogle.start({ streamEvents: 50, streamIntervalMs: 200 });
    fake.addApiKey(KEY_A);
  });

  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
    fake.reset();
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('ends every open stream with an error event in its dialect and answers every waiting request 503 with Retry-After', async () => {
    proc = await ProxyProcess.start({
      ...fake.env(),
      GEMINI_API_KEYS: KEY_A,
      SHUTDOWN_GRACE_MS: '500',
    });
    fake.failNext({ kind: 'slowFirstByte', ms: 60_000 });
    const waiting = generateRequest(proc.url, 'an answer that will not come in time');
    await fake.waitForRequest((r) => r.action === 'generateContent');
    const native = await startedStream(await streamRequest(proc.url, 'a long native stream'));
    const chat = await startedStream(
      await fetch(`${proc.url}/v1/chat/completions`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify({
          model: 'gemini-2.5-flash',
          stream: true,
          messages: [{ role: 'user', content: 'a long chat stream' }],
        }),
      }),
    );

    proc.child.kill('SIGTERM');

    const refused = await waiting;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toEqual({
      error: { code: 503, message: expect.stringMatching(/shutting down/), status: 'UNAVAILABLE' },
    });
    expect(lastDataFrame(await native.rest)).toEqual({
      error: { code: 503, message: expect.stringMatching(/shutting down/), status: 'UNAVAILABLE' },
    });
    expect(lastDataFrame(await chat.rest)).toEqual({
      error: expect.objectContaining({
        message: expect.stringMatching(/shutting down/),
        type: 'server_error',
      }),
    });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    await fake.waitForAbort((r) => r.action === 'generateContent', 2_000);
    await fake.waitForAbort((r) => r.action === 'streamGenerateContent', 2_000);
  });
});

describe('per-request log lines', () => {
  let fake: FakeGoogle;
  let proc: ProxyProcess | undefined;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY_A);
    fake.addApiKey(KEY_B);
  });

  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
    fake.reset();
  });

  afterAll(async () => {
    await fake?.close();
  });

  /** Runs a plain call, a failover and a stream, then stops the process so every line is out. */
  async function traffic(p: ProxyProcess): Promise<void> {
    expect((await generateRequest(p.url, 'plain', `?key=${TEST_PASSWORD}`)).status).toBe(200);
    fake.failNext(rateLimited(30));
    expect((await generateRequest(p.url, 'failover')).status).toBe(200);
    await readSse(await streamRequest(p.url, 'streamed'));
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  }

  it('writes one JSON line per request with route, model, credential, attempts, status, duration and tokens', async () => {
    proc = await ProxyProcess.start({
      ...fake.env(),
      GEMINI_API_KEYS: `${KEY_A},${KEY_B}`,
      LOG_FORMAT: 'json',
    });
    await traffic(proc);
    const lines = proc.stdout.filter((l) => l.trim() !== '');
    const parsed = lines.map((l) => JSON.parse(l) as { context?: string; message: unknown });
    const requests = parsed
      .filter((l) => l.context === 'Request')
      .map((l) => l.message as Record<string, unknown>);
    expect(requests).toHaveLength(3);
    for (const r of requests) {
      expect(r).toMatchObject({
        event: 'request',
        method: 'POST',
        route: '/v1beta/models/:modelAction',
        status: 200,
        model: 'gemini-2.5-flash',
        credential: expect.stringMatching(/^key\.\.\.(aaaaa|bbbbb)$/),
        durationMs: expect.any(Number),
        tokens: { prompt: expect.any(Number), completion: expect.any(Number), thoughts: 0 },
      });
      expect((r.tokens as { completion: number }).completion).toBeGreaterThan(0);
    }
    expect(requests.map((r) => r.attempts)).toEqual([1, 2, 1]);
    expect(requests[2]).toMatchObject({ stream: 'complete', firstTokenMs: expect.any(Number) });
  });

  it('writes text lines by default and keeps secrets out of every log line, DEBUG blocks included', async () => {
    proc = await ProxyProcess.start({
      ...fake.env(),
      GEMINI_API_KEYS: `${KEY_A},${KEY_B}`,
      DEBUG: 'true',
    });
    await traffic(proc);
    const out = proc.output;
    expect(out).toMatch(
      /\[Request\] POST \/v1beta\/models\/:modelAction 200 \d+ms model=gemini-2\.5-flash credential=key\.\.\.(aaaaa|bbbbb) attempts=1 tokens=\d+\/\d+\/0/,
    );
    expect(out).toMatch(/\[Request\] POST \/v1beta\/models\/:modelAction 200 \d+ms .* attempts=2 /);
    expect(out).toMatch(/--- Credential Details ---/);
    expect(out).toMatch(/Credential Used \(API key ending in\): \.\.\.(aaaaa|bbbbb)/);
    for (const secret of [KEY_A, KEY_B, TEST_PASSWORD]) expect(out).not.toContain(secret);
  });
});
