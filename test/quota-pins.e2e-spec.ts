import { GoogleGenAI } from '@google/genai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle } from './fake-google/fake-google';
import type { QuotaView } from '../src/quota/quota-view';
import { AUTH, generate, JSON_AUTH, ManualClock, startPoolProxy } from './support/pool-harness';
import { RunningProxy, TEST_PASSWORD } from './support/proxy';

const MODEL = 'gemini-2.5-flash';
const KEYS = [
  'AIzaPinQuotaKeyAAAAAAAAAAAAAAAAAAAAaaaaA',
  'AIzaPinQuotaKeyBBBBBBBBBBBBBBBBBBBBbbbbB',
];
const RPM = 2;

/** A minute the test moves to the next of, so that no window rolls over while it runs. */
class MinuteClock extends ManualClock {
  nextMinute(): void {
    this.advance(60_000 - (this.now() % 60_000) + 500);
  }
}

const generateCalls = (fake: FakeGoogle) =>
  fake.requests.filter((r) => r.action === 'generateContent').map((r) => r.credential);

describe("the quota router beside resource pins and the dialects' error shapes", () => {
  const clock = new MinuteClock();
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let dir: string;

  beforeAll(async () => {
    clock.freeze();
    fake = await FakeGoogle.start({ record: true });
    for (const key of KEYS) fake.addApiKey(key);
    proxy = await startPoolProxy(
      {
        ...fake.env(),
        GEMINI_API_KEYS: KEYS.join(','),
        QUOTA_LIMITS: JSON.stringify({ [MODEL]: { rpm: RPM } }),
        SESSION_AFFINITY_TTL_S: '0',
      },
      { clock },
    );
    dir = mkdtempSync(path.join(tmpdir(), 'quota-pins-'));
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    clock.nextMinute();
    fake.reset();
  });

  it("sends a request naming a file to its owner, counts it there, and answers the owner's own 429 when it has no room", async () => {
    const at = path.join(dir, 'pinned.txt');
    writeFileSync(at, 'pinned document');
    const ai = new GoogleGenAI({ apiKey: TEST_PASSWORD, httpOptions: { baseUrl: proxy.url } });
    const uploaded = await ai.files.upload({ file: at, config: { mimeType: 'text/plain' } });
    const owner = fake.resources.files.get(uploaded.name!)!.owner;
    const other = KEYS.find((k) => k !== owner)!;
    const ownerId = `key...${owner.slice(-5)}`;
    fake.reset();

    const withFile = (text: string) =>
      fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify({
          contents: [
            {
              role: 'user',
              parts: [{ fileData: { fileUri: uploaded.uri, mimeType: 'text/plain' } }, { text }],
            },
          ],
        }),
      });
    for (let i = 0; i < RPM; i++) expect((await withFile(`read it ${i}`)).status).toBe(200);
    expect(generateCalls(fake)).toEqual(Array(RPM).fill(owner));

    const view = (await (
      await fetch(`${proxy.url}/admin/api/quota`, { headers: AUTH })
    ).json()) as QuotaView;
    const rpm = view.credentials
      .find((c) => c.id === ownerId)
      ?.models.find((m) => m.model === MODEL)
      ?.windows.find((w) => w.limit === 'rpm');
    expect(rpm).toMatchObject({ used: RPM, max: RPM });

    const refused = await withFile('once more');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.message).toContain(`The credential that owns ${uploaded.name}`);
    expect(body.error.message).toContain('The proxy did not call Google');
    expect(generateCalls(fake)).toEqual(Array(RPM).fill(owner));

    // The other key still has room for requests that name nothing.
    expect((await generate(proxy, 'plain', MODEL)).status).toBe(200);
    expect(generateCalls(fake)).toEqual([...Array(RPM).fill(owner), other]);
  });

  it("answers the proxy's own 429 in each route's dialect, without calling Google", async () => {
    for (let i = 0; i < KEYS.length * RPM; i++) {
      expect((await generate(proxy, `fill ${i}`, MODEL)).status).toBe(200);
    }
    const served = generateCalls(fake).length;
    const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${proxy.url}${route}`, {
        method: 'POST',
        headers: { ...JSON_AUTH, ...headers },
        body: JSON.stringify(body),
      });
    const messages = [{ role: 'user', content: 'hello' }];

    const google = await generate(proxy, 'native', MODEL);
    expect(google.status).toBe(429);
    expect(await google.json()).toMatchObject({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED' },
    });

    for (const stream of [false, true]) {
      const chat = await post('/v1/chat/completions', { model: MODEL, messages, stream });
      expect(chat.status).toBe(429);
      expect(chat.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await chat.json()).toMatchObject({
        error: { type: 'rate_limit_error', code: 'resource_exhausted' },
      });
    }

    const responses = await post('/v1/responses', { model: MODEL, input: 'hello' });
    expect(responses.status).toBe(429);
    expect(await responses.json()).toMatchObject({ error: { type: 'rate_limit_error' } });

    const anthropic = await post(
      '/v1/messages',
      { model: MODEL, max_tokens: 50, messages },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(anthropic.status).toBe(429);
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.stringMatching(/No credential has room/) },
    });

    for (const res of [google, responses, anthropic]) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(generateCalls(fake)).toHaveLength(served);
  });
});
