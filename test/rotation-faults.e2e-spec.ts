import { FakeGoogle } from './fake-google/fake-google';
import { defaultErrorMessage, rateLimited, serverError } from './fake-google/google-errors';
import type { RecordedRequest } from './fake-google/types';
import {
  credentialStatus,
  enableAll,
  generate,
  JSON_AUTH,
  ManualClock,
  nativeUrl,
  poolStatus,
  readSse,
  dataFrames,
  streamNative,
} from './support/pool-harness';
import { health, RunningProxy, startTestProxy } from './support/proxy';
import { MAX_MODEL_ENTRIES, STRIKE_MEMORY_MS } from '../src/credentials/credential-pool';

const KEYS = [
  'AIzaFaultsKeyAAAAAAAAAAAAAAAAAAAAAAaaaaa',
  'AIzaFaultsKeyBBBBBBBBBBBBBBBBBBBBBBbbbbb',
  'AIzaFaultsKeyCCCCCCCCCCCCCCCCCCCCCCccccc',
  'AIzaFaultsKeyDDDDDDDDDDDDDDDDDDDDDDddddd',
];
const [KEY_A] = KEYS;
const keyId = (key: string) => `key...${key.slice(-5)}`;

const modelCalls = (fake: FakeGoogle): RecordedRequest[] =>
  fake.requests.filter((r) => r.action === 'generateContent');

interface GoogleErrorJson {
  error: { code: number; message: string; status: string };
}

describe('Google’s passing faults with a single API key', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  const clock = new ManualClock();

  beforeAll(async () => {
    // Frozen unless a test moves it: the seconds a cooldown has left do not depend on load.
    clock.freeze();
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY_A);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY_A }, { clock });
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(async () => {
    await enableAll(proxy);
    fake.reset();
  });

  it('calls Google again on the very next request after a 503, and that request succeeds', async () => {
    fake.failNext(serverError(503));
    const failed = await generate(proxy, 'first');
    expect(failed.status).toBe(503);
    const next = await generate(proxy, 'second');
    expect(next.status).toBe(200);
    expect(modelCalls(fake)).toHaveLength(2);
  });

  it('keeps the credential eligible after a 5xx, and only Google’s 429 makes it cool', async () => {
    fake.failNext(serverError(503));
    await generate(proxy, '503');
    expect((await credentialStatus(proxy, keyId(KEY_A))).state).toBe('ok');

    fake.failNext(rateLimited(30));
    expect((await generate(proxy, '429')).status).toBe(429);
    expect((await credentialStatus(proxy, keyId(KEY_A))).state).toBe('cooling');
    fake.reset();
    expect((await generate(proxy, 'while cooling')).status).toBe(429);
    expect(modelCalls(fake)).toHaveLength(0);
  });

  it('adds one strike, not one per failure, when concurrent calls are rate-limited together', async () => {
    const concurrent = 6;
    // Held until all six reached Google: a call arriving after the first 429 would be refused by
    // the pool itself, however slowly a busy machine sends them.
    fake.failNext({ ...rateLimited(undefined), gather: concurrent }, { times: concurrent });
    const statuses = await Promise.all(
      Array.from({ length: concurrent }, (_, i) => generate(proxy, `burst ${i}`)),
    );
    expect(statuses.every((r) => r.status === 429)).toBe(true);
    expect(modelCalls(fake)).toHaveLength(concurrent);
    const [cooldown] = (await credentialStatus(proxy, keyId(KEY_A))).cooldowns;
    expect(cooldown).toMatchObject({ kind: 'rate-limit', remainingSeconds: 1 });

    // Once that limit has run out, the next 429 is the second strike: twice the wait, not 2^6.
    clock.advance(1_500);
    fake.reset();
    fake.failNext(rateLimited(undefined));
    await generate(proxy, 'again');
    expect((await credentialStatus(proxy, keyId(KEY_A))).cooldowns[0]).toMatchObject({
      remainingSeconds: 2,
    });
  });

  it('refuses a native body too deep to serialise with a 400, before any call, touching no credential', async () => {
    const before = await credentialStatus(proxy, keyId(KEY_A));
    let deep = '"leaf"';
    for (let i = 0; i < 20_000; i++) deep = `{"a":${deep}}`;
    const res = await fetch(nativeUrl(proxy, 'gemini-2.5-flash', 'generateContent'), {
      method: 'POST',
      headers: JSON_AUTH,
      body: `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":${deep}}`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as GoogleErrorJson).error.status).toBe('INVALID_ARGUMENT');
    expect(modelCalls(fake)).toHaveLength(0);
    const after = await credentialStatus(proxy, keyId(KEY_A));
    expect(after).toMatchObject({
      state: 'ok',
      cooldowns: [],
      errors: before.errors,
      rateLimits: before.rateLimits,
      requests: before.requests,
    });
  });

  it('prunes expired cooldowns and bounds the models kept per credential', async () => {
    const names = 3 * MAX_MODEL_ENTRIES;
    for (let i = 0; i < names; i++) {
      expect((await generate(proxy, 'x', `gemini-made-up-${i}`)).status).toBe(404);
    }
    const cooling = await credentialStatus(proxy, keyId(KEY_A));
    expect(cooling.cooldowns.length).toBeLessThanOrEqual(MAX_MODEL_ENTRIES);
    expect(cooling.cooldowns.map((c) => c.model)).toContain(`gemini-made-up-${names - 1}`);

    clock.advance(60 * 60_000 + STRIKE_MEMORY_MS);
    const page = await fetch(`${proxy.url}/admin/credentials`, { headers: JSON_AUTH });
    expect((await page.text()).length).toBeLessThan(2_000);
    expect((await credentialStatus(proxy, keyId(KEY_A))).cooldowns).toEqual([]);
  });
});

describe('a burst of Google’s passing faults over several credentials', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    for (const key of KEYS) fake.addApiKey(key);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEYS.join(',') });
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(async () => {
    await enableAll(proxy);
    fake.reset();
  });

  it('never answers a 429: every failed client gets Google’s 5xx, and the pool keeps calling Google', async () => {
    fake.failNext({ ...serverError(503), delayMs: 50 }, { times: 60 });
    const clients = 24;
    const answers = await Promise.all(
      Array.from({ length: clients }, (_, i) => generate(proxy, `burst ${i}`)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses).not.toContain(429);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 503)).toBe(true);
    expect(statuses).toContain(503);
    const failed = answers.find((r) => r.status === 503)!;
    expect(((await failed.json()) as GoogleErrorJson).error).toMatchObject({
      code: 503,
      status: 'UNAVAILABLE',
      message: defaultErrorMessage(503),
    });

    fake.reset();
    const after = await Promise.all(KEYS.map((_, i) => generate(proxy, `after ${i}`)));
    expect(after.map((r) => r.status)).toEqual(KEYS.map(() => 200));
    expect(modelCalls(fake)).toHaveLength(KEYS.length);
    expect((await poolStatus(proxy)).summary).toMatchObject({ ok: KEYS.length, cooling: 0 });
  });

  it('answers Google’s 5xx, not a 429, when a rate limit was only one of the failures', async () => {
    fake.failNext(serverError(503), { times: 2 });
    fake.failNext(rateLimited(30));
    const res = await generate(proxy, 'mixed');
    expect(modelCalls(fake)).toHaveLength(3);
    expect(res.status).toBe(503);
    expect(((await res.json()) as GoogleErrorJson).error.status).toBe('UNAVAILABLE');
  });

  it('counts credentials cooling after Google’s 429 as not usable in /health', async () => {
    fake.failNext(rateLimited(30), { credential: KEYS[1] });
    fake.failNext(rateLimited(30), { credential: KEYS[2] });
    for (let i = 0; i < 2 * KEYS.length; i++) {
      if ((await poolStatus(proxy)).summary.cooling === 2) break;
      expect((await generate(proxy, `probe ${i}`)).status).toBe(200);
    }
    expect((await poolStatus(proxy)).summary.cooling).toBe(2);
    expect(await health(proxy)).toEqual({
      status: 'ok',
      credentials: KEYS.length,
      usable: KEYS.length - 2,
    });
  });
});

describe('UPSTREAM_TIMEOUT_MS on streams', () => {
  // Well above the 300 ms between the events of a healthy slow stream below: the process may pause
  // for most of a second on a busy machine without the stream looking stalled.
  const TIMEOUT_MS = 1_500;
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    for (const key of KEYS.slice(0, 2)) fake.addApiKey(key);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEYS.slice(0, 2).join(','),
      UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
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

  it('lets a stream that keeps producing run past the limit to its end', async () => {
    fake.failNext({ kind: 'slowStream', events: 11, intervalMs: 300 });
    const sentAt = Date.now();
    const frames = await readSse(await streamNative(proxy, 'a long answer'), sentAt);
    const data = dataFrames(frames);
    expect(frames[frames.length - 1].at).toBeGreaterThan(2 * TIMEOUT_MS);
    expect(data).toHaveLength(11);
    expect(data.some((d) => d.includes('"error"'))).toBe(false);
  });

  it('cuts a stream that falls silent for longer than the limit, and closes Google’s call', async () => {
    fake.failNext({ kind: 'stallMidStream', afterEvents: 1 });
    const sentAt = Date.now();
    const frames = await readSse(await streamNative(proxy, 'then silence'), sentAt);
    const data = dataFrames(frames);
    expect(data).toHaveLength(2);
    expect(JSON.parse(data[1])).toMatchObject({ error: { code: 504 } });
    expect(frames[frames.length - 1].at).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(frames[frames.length - 1].at).toBeLessThan(3 * TIMEOUT_MS);
    const stalled = await fake.waitForAbort((r) => r.action === 'streamGenerateContent');
    expect(stalled.aborted).toBe(true);
  });

  it('fails a stream over when Google sends no first event within the limit', async () => {
    fake.failNext({ kind: 'slowFirstByte', ms: 5 * TIMEOUT_MS });
    const sentAt = Date.now();
    const frames = await readSse(await streamNative(proxy, 'slow start'), sentAt);
    const data = dataFrames(frames);
    expect(data.some((d) => d.includes('"finishReason":"STOP"'))).toBe(true);
    expect(data.some((d) => d.includes('"error"'))).toBe(false);
    const calls = fake.requests.filter((r) => r.action === 'streamGenerateContent');
    expect(calls).toHaveLength(2);
    expect(calls[1].credential).not.toBe(calls[0].credential);
    expect(Date.now() - sentAt).toBeLessThan(3 * TIMEOUT_MS);
  });
});
