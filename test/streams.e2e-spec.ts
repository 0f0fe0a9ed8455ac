import { FakeGoogle } from './fake-google/fake-google';
import { rateLimited } from './fake-google/google-errors';
import {
  AUTH,
  chat,
  credentialStatus,
  dataFrames,
  enableAll,
  generate,
  nativeUrl,
  poolStatus,
  readSse,
  startPoolProxy,
  streamNative,
  userTurn,
} from './support/pool-harness';
import { RunningProxy } from './support/proxy';

const KEY_A = 'AIzaStreamsKeyAAAAAAAAAAAAAAAAAAAAAaaaaa';
const KEY_B = 'AIzaStreamsKeyBBBBBBBBBBBBBBBBBBBBBbbbbb';
const HEARTBEAT_MS = 100;
const keyId = (key: string) => `key...${key.slice(-5)}`;

interface NativeChunk {
  candidates?: { content?: { parts?: { text?: string }[] } }[];
  error?: { code: number; message: string; status: string };
}

interface OpenAIChunk {
  choices?: { delta?: { content?: string } }[];
  error?: { message: string; type: string };
}

const nativeText = (frames: string[]) =>
  frames
    .map((f) => JSON.parse(f) as NativeChunk)
    .map((c) => c.candidates?.[0]?.content?.parts?.map((p) => p.text ?? '').join('') ?? '')
    .join('');

describe('streams', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY_A);
    fake.addApiKey(KEY_B);
    proxy = await startPoolProxy({
      ...fake.env(),
      GEMINI_API_KEYS: `${KEY_A},${KEY_B}`,
      STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS),
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(async () => {
    await enableAll(proxy);
    fake.reset();
  });

  describe('heartbeats', () => {
    it('sends SSE comments while Google is silent before the first event, then the whole answer (native)', async () => {
      // A second of silence: ten beats, of which a busy machine's pauses may cost several.
      fake.failNext({ kind: 'slowFirstByte', ms: 1_000 });
      const sentAt = Date.now();
      const frames = await readSse(await streamNative(proxy, 'slow start'), sentAt);
      const firstData = frames.findIndex((f) => f.type === 'data');
      const beats = frames.slice(0, firstData);
      expect(beats.length).toBeGreaterThanOrEqual(3);
      expect(beats.length).toBeLessThanOrEqual(11);
      expect(beats.every((f) => f.type === 'comment')).toBe(true);
      expect(beats[0].at).toBeGreaterThanOrEqual(HEARTBEAT_MS - 10);
      expect(nativeText(dataFrames(frames))).toBe('Hello from gemini-2.5-flash: slow start');
    });

    it('sends SSE comments before the first chunk on the OpenAI route too, and still ends with [DONE]', async () => {
      fake.failNext({ kind: 'slowFirstByte', ms: 800 });
      const frames = await readSse(await chat(proxy, { stream: true }));
      expect(frames[0].type).toBe('comment');
      expect(frames.filter((f) => f.type === 'comment').length).toBeGreaterThanOrEqual(2);
      const data = dataFrames(frames);
      expect(data[data.length - 1]).toBe('[DONE]');
      const text = data
        .slice(0, -1)
        .map((d) => (JSON.parse(d) as OpenAIChunk).choices?.[0]?.delta?.content ?? '')
        .join('');
      expect(text).toBe('Hello from gemini-2.5-flash: hello');
    });

    it('sends nothing extra when Google answers promptly', async () => {
      const frames = await readSse(await streamNative(proxy, 'quick'));
      expect(frames.filter((f) => f.type === 'comment')).toEqual([]);
    });
  });

  describe('failures before the first byte', () => {
    it('fails a stream over to another credential when the first one is rate-limited', async () => {
      fake.failNext(rateLimited(30));
      const res = await streamNative(proxy, 'fail over');
      expect(res.status).toBe(200);
      expect(nativeText(dataFrames(await readSse(res)))).toBe(
        'Hello from gemini-2.5-flash: fail over',
      );
      const calls = fake.requests.filter((r) => r.action === 'streamGenerateContent');
      expect(calls).toHaveLength(2);
      expect(calls[1].credential).not.toBe(calls[0].credential);
    });

    it('answers a real 429 status, not a 200 with an error event, when every credential is limited', async () => {
      fake.failNext(rateLimited(20), { times: 2 });
      const res = await streamNative(proxy, 'all limited');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('20');
      expect(((await res.json()) as NativeChunk).error?.status).toBe('RESOURCE_EXHAUSTED');
    });
  });

  describe('a stream cut after its first event', () => {
    it('ends with an error event in Google’s shape on the native SSE route, and the credential is charged for it', async () => {
      fake.failNext({ kind: 'cutMidStream', afterEvents: 1 });
      const res = await streamNative(proxy, 'one two three four five six');
      expect(res.status).toBe(200);
      const data = dataFrames(await readSse(res));
      expect(data.length).toBe(2);
      expect(nativeText(data.slice(0, 1)).length).toBeGreaterThan(0);
      const last = JSON.parse(data[1]) as NativeChunk;
      expect(last.error).toMatchObject({ code: 502, status: expect.any(String) });
      expect(last.error?.message).toMatch(/Google/);
      const cut = fake.requests.find((r) => r.action === 'streamGenerateContent')!;
      const status = await credentialStatus(proxy, keyId(cut.credential!));
      expect(status.lastError).toMatchObject({ reason: 'connection' });
      expect(status.cooldowns).toEqual([expect.objectContaining({ kind: 'transient' })]);
    });

    it('ends with an error event in OpenAI’s shape on /v1/chat/completions, without [DONE]', async () => {
      fake.failNext({ kind: 'cutMidStream', afterEvents: 1 });
      const res = await chat(proxy, {
        stream: true,
        messages: [{ role: 'user', content: 'one two three four five' }],
      });
      expect(res.status).toBe(200);
      const data = dataFrames(await readSse(res));
      expect(data).not.toContain('[DONE]');
      const last = JSON.parse(data[data.length - 1]) as OpenAIChunk;
      expect(last.error).toMatchObject({ type: 'api_error' });
      expect(
        data.slice(0, -1).some((d) => (JSON.parse(d) as OpenAIChunk).choices !== undefined),
      ).toBe(true);
    });

    it('closes the JSON array with an error element when alt=sse is not used', async () => {
      fake.failNext({ kind: 'cutMidStream', afterEvents: 1 });
      const res = await fetch(nativeUrl(proxy, 'gemini-2.5-flash', 'streamGenerateContent'), {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(userTurn('one two three four five')),
      });
      const items = JSON.parse(await res.text()) as NativeChunk[];
      expect(items[0].candidates).toBeDefined();
      expect(items[items.length - 1].error).toMatchObject({ code: 502 });
    });
  });

  describe('a client that hangs up', () => {
    it('aborts the upstream stream at once while waiting for the first event, and cools nobody', async () => {
      fake.failNext({ kind: 'slowFirstByte', ms: 10_000 });
      const controller = new AbortController();
      const res = await streamNative(proxy, 'never mind', 'gemini-2.5-flash', {
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read(); // the first heartbeat: the proxy is waiting on Google
      await fake.waitForRequest((r) => r.action === 'streamGenerateContent');
      const abortedAt = Date.now();
      controller.abort();
      const upstream = await fake.waitForAbort((r) => r.action === 'streamGenerateContent', 2_000);
      expect(Date.now() - abortedAt).toBeLessThan(1_000);
      expect(upstream.aborted).toBe(true);
      expect((await poolStatus(proxy)).summary).toMatchObject({ ok: 2, cooling: 0, disabled: 0 });
    });

    it('aborts a non-streamed call too', async () => {
      fake.failNext({ kind: 'slowFirstByte', ms: 10_000 }, { action: 'generateContent' });
      const controller = new AbortController();
      const pending = generate(proxy, 'slow', 'gemini-2.5-flash', {
        signal: controller.signal,
      }).catch((error: Error) => error);
      await fake.waitForRequest((r) => r.action === 'generateContent');
      controller.abort();
      await fake.waitForAbort((r) => r.action === 'generateContent', 2_000);
      expect(await pending).toMatchObject({ name: 'AbortError' });
      expect((await poolStatus(proxy)).summary).toMatchObject({ ok: 2, cooling: 0 });
    });
  });
});

describe('streams with a slow model', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start({ streamEvents: 4, streamIntervalMs: 450 });
    fake.addApiKey(KEY_A);
    proxy = await startPoolProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY_A,
      STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS),
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  it('sends heartbeats between chunks while the model is silent', async () => {
    const frames = await readSse(await streamNative(proxy, 'a b c d e f g h'));
    const kinds = frames.map((f) => f.type);
    const first = kinds.indexOf('data');
    const last = kinds.lastIndexOf('data');
    expect(kinds.slice(first, last).filter((k) => k === 'comment').length).toBeGreaterThanOrEqual(
      3,
    );
    expect(nativeText(dataFrames(frames))).toBe('Hello from gemini-2.5-flash: a b c d e f g h');
  });

  it('aborts the upstream stream at once when the client leaves mid-stream', async () => {
    // Silent after its first event: only the proxy hanging up can end Google's call, so no clock
    // has to tell "at once" from "at the next event".
    fake.failNext({ kind: 'stallMidStream', afterEvents: 1 });
    const controller = new AbortController();
    const res = await streamNative(proxy, 'long answer here', 'gemini-2.5-flash', {
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    while (!seen.includes('data:')) seen += decoder.decode((await reader.read()).value);
    controller.abort();
    const upstream = await fake.waitForAbort((r) => r.action === 'streamGenerateContent', 5_000);
    expect(upstream.aborted).toBe(true);
  });
});
