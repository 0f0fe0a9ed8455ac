import Anthropic, {
  NotFoundError as AnthropicNotFound,
  RateLimitError as AnthropicRateLimit,
} from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI, { PermissionDeniedError, RateLimitError } from 'openai';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FakeGoogle } from './fake-google/fake-google';
import { modelCallsTo } from './support/model-calls';
import { AUTH } from './support/pool-harness';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const KEY = 'AIzaFakeKeyAAAAAAAAAAAAAAAAAAAAAAAAaaaaa';
const MODEL = 'gemini-2.5-flash';

interface Created {
  id: string;
  name: string;
  key: string;
  [field: string]: unknown;
}

async function createKey(proxy: RunningProxy, body: Record<string, unknown>): Promise<Created> {
  const res = await fetch(`${proxy.url}/admin/api/keys`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Created;
}

function openai(proxy: RunningProxy, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey, maxRetries: 0 });
}

function answer(prompt: number, output: number) {
  return {
    response: {
      candidates: [
        { content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: prompt,
        candidatesTokenCount: output,
        totalTokenCount: prompt + output,
      },
    },
  };
}

async function chat(proxy: RunningProxy, apiKey: string, model = MODEL) {
  return openai(proxy, apiKey).chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'hi' }],
  });
}

describe('client keys', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  const logs: string[] = [];
  let restore: (() => void)[] = [];

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    // Every line the proxy logs (kept, not printed), to show the secret never reaches one.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = (chunk: unknown) => {
        logs.push(String(chunk));
        return true;
      };
      restore.push(() => (stream.write = write));
    }
    const quiet = process.env.TEST_LOGS;
    process.env.TEST_LOGS = '1';
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY });
    if (quiet === undefined) delete process.env.TEST_LOGS;
    else process.env.TEST_LOGS = quiet;
  }, 30_000);

  afterAll(async () => {
    for (const undo of restore) undo();
    restore = [];
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  it('creates a key whose secret is shown once and works in each place and dialect', async () => {
    const created = await createKey(proxy, { name: 'everywhere' });
    expect(created.key).toMatch(/^sk-gp-[0-9A-Za-z]{32,}$/);
    expect(created.id).toMatch(/^ck_/);
    const secret = created.key;

    expect((await chat(proxy, secret)).choices[0].message.content).toContain('Hello');

    const anthropic = new Anthropic({ baseURL: proxy.url, apiKey: secret, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text' });

    const genai = new GoogleGenAI({ apiKey: secret, httpOptions: { baseUrl: proxy.url } });
    const generated = await genai.models.generateContent({ model: MODEL, contents: 'hi' });
    expect(generated.text).toBeDefined();

    const url = `${proxy.url}/v1beta/models/${MODEL}:countTokens`;
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    const json = { 'content-type': 'application/json' };
    const basic = Buffer.from(`anyone:${secret}`).toString('base64');
    for (const init of [
      { headers: { ...json, authorization: `Bearer ${secret}` } },
      { headers: { ...json, 'x-goog-api-key': secret } },
      { headers: { ...json, 'x-api-key': secret } },
      { headers: { ...json, authorization: `Basic ${basic}` } },
      { headers: json, query: `?key=${secret}` },
    ] as { headers: Record<string, string>; query?: string }[]) {
      const res = await fetch(url + (init.query ?? ''), {
        method: 'POST',
        headers: init.headers,
        body,
      });
      expect(res.status).toBe(200);
    }
  });

  it('is described in the OpenAPI document of /admin/api', async () => {
    const doc = (await (await fetch(`${proxy.url}/admin/api/docs`, { headers: AUTH })).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/admin/api/keys',
        '/admin/api/keys/{id}',
        '/admin/api/keys/{id}/rotate',
        '/admin/api/credentials',
        '/admin/api/credentials/{id}',
      ]),
    );
  });

  it('never opens /admin or /metrics', async () => {
    const { key } = await createKey(proxy, { name: 'not-admin' });
    for (const route of ['/admin', '/admin/api/keys', '/admin/credentials', '/metrics']) {
      const res = await fetch(proxy.url + route, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(401);
    }
  });

  it('refuses a model outside its list without calling Google, and lists only its models', async () => {
    const { key } = await createKey(proxy, { name: 'flash-only', models: [MODEL] });
    await expect(chat(proxy, key, 'gemini-2.5-pro')).rejects.toBeInstanceOf(PermissionDeniedError);
    const anthropic = new Anthropic({ baseURL: proxy.url, apiKey: key, maxRetries: 0 });
    await expect(
      anthropic.messages.create({
        model: 'gemini-2.5-pro',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(AnthropicNotFound);
    const native = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-pro:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(native.status).toBe(404);
    expect(((await native.json()) as { error: { message: string } }).error.message).toContain(
      'flash-only',
    );
    expect(modelCallsTo(fake)).toHaveLength(0);

    const models = await openai(proxy, key).models.list();
    expect(models.data.map((m) => m.id)).toEqual([MODEL]);
    const claudeList = await anthropic.models.list();
    expect(claudeList.data.map((m) => m.id)).toEqual([MODEL]);
    const googleList = (await (
      await fetch(`${proxy.url}/v1beta/models`, { headers: { 'x-goog-api-key': key } })
    ).json()) as { models: { name: string }[] };
    expect(googleList.models.map((m) => m.name)).toEqual([`models/${MODEL}`]);
    const all = await openai(proxy, TEST_PASSWORD).models.list();
    expect(all.data.length).toBeGreaterThan(1);
    expect((await chat(proxy, key)).choices[0].message.content).toContain('Hello');
  });

  it('answers 429 naming the key and the limit at its rpm, while other keys and the password go on', async () => {
    const limited = await createKey(proxy, { name: 'two-a-minute', rpm: 2 });
    const other = await createKey(proxy, { name: 'other' });
    await chat(proxy, limited.key);
    await chat(proxy, limited.key);
    const error = (await chat(proxy, limited.key).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain('two-a-minute');
    expect(error.message).toContain('2 requests per minute');
    expect(error.message).toContain('not a Google quota');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    // The same refusal in the Anthropic and Gemini dialects, still without calling Google.
    const calls = modelCallsTo(fake).length;
    const anthropic = new Anthropic({ baseURL: proxy.url, apiKey: limited.key, maxRetries: 0 });
    const refused = (await anthropic.messages
      .create({ model: MODEL, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as AnthropicRateLimit;
    expect(refused).toBeInstanceOf(AnthropicRateLimit);
    expect(refused.message).toContain('two-a-minute');
    const native = await fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': limited.key, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(native.status).toBe(429);
    expect(native.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await native.json()) as { error: { status: string } }).error.status).toBe(
      'RESOURCE_EXHAUSTED',
    );
    expect(modelCallsTo(fake)).toHaveLength(calls);
    await chat(proxy, other.key);
    await chat(proxy, TEST_PASSWORD);
  });

  it("counts Google's tokens after each answer against tpm and the daily budget", async () => {
    const tpm = await createKey(proxy, { name: 'tpm-100', tpm: 100 });
    fake.enqueue(answer(70, 40));
    await chat(proxy, tpm.key);
    const error = (await chat(proxy, tpm.key).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain('100 tokens per minute');

    const daily = await createKey(proxy, { name: 'daily-50', daily_tokens: 50 });
    fake.enqueue(answer(30, 10));
    await chat(proxy, daily.key);
    fake.enqueue(answer(30, 10));
    await chat(proxy, daily.key);
    const refused = (await chat(proxy, daily.key).catch((e: unknown) => e)) as RateLimitError;
    expect(refused).toBeInstanceOf(RateLimitError);
    expect(refused.message).toContain('50 tokens per day');
    await chat(proxy, TEST_PASSWORD);

    const list = (await (await fetch(`${proxy.url}/admin/api/keys`, { headers: AUTH })).json()) as {
      id: string;
      usage: { daily_tokens: number };
    }[];
    expect(list.find((k) => k.id === daily.id)?.usage.daily_tokens).toBe(80);
  });

  it('stops a revoked, rotated or expired key at once', async () => {
    const created = await createKey(proxy, { name: 'short-lived' });
    await chat(proxy, created.key);
    const rotated = (await (
      await fetch(`${proxy.url}/admin/api/keys/${created.id}/rotate`, {
        method: 'POST',
        headers: AUTH,
      })
    ).json()) as Created;
    expect(rotated.key).not.toBe(created.key);
    await expect(chat(proxy, created.key)).rejects.toMatchObject({ status: 401 });
    await chat(proxy, rotated.key);

    const revoked = await fetch(`${proxy.url}/admin/api/keys/${created.id}`, {
      method: 'DELETE',
      headers: AUTH,
    });
    expect(((await revoked.json()) as { revoked_at: string }).revoked_at).toBeTruthy();
    await expect(chat(proxy, rotated.key)).rejects.toMatchObject({ status: 401 });

    const expiring = await createKey(proxy, {
      name: 'expiring',
      expires_at: new Date(Date.now() + 1_500).toISOString(),
    });
    await chat(proxy, expiring.key);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const expired = (await chat(proxy, expiring.key).catch((e: unknown) => e)) as Error;
    expect(expired).toMatchObject({ status: 401 });
    expect(expired.message).toContain('expired');
  });

  it('edits limits in place and validates input with a 400', async () => {
    const created = await createKey(proxy, { name: 'editable' });
    const bad = await fetch(`${proxy.url}/admin/api/keys`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', rpm: -1, extra: true }),
    });
    expect(bad.status).toBe(400);
    const patched = await fetch(`${proxy.url}/admin/api/keys/${created.id}`, {
      method: 'PATCH',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ rpm: 0 }),
    });
    expect(patched.status).toBe(200);
    await expect(chat(proxy, created.key)).rejects.toBeInstanceOf(RateLimitError);
    const crossSite = await fetch(`${proxy.url}/admin/api/keys/${created.id}`, {
      method: 'PATCH',
      headers: {
        ...AUTH,
        'content-type': 'application/json',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: JSON.stringify({ rpm: null }),
    });
    expect(crossSite.status).toBe(403);
  });

  it('is reached from every console page by its tabs, the page drawn marked current', async () => {
    const tabs = {
      '/admin': 'Pool',
      '/admin/usage': 'Usage',
      '/admin/keys': 'Keys',
      '/admin/pool-credentials': 'Credentials',
      '/admin/audit': 'Audit',
    };
    for (const [route, label] of Object.entries(tabs)) {
      const res = await fetch(proxy.url + route, { headers: { ...AUTH, accept: 'text/html' } });
      expect(res.status).toBe(200);
      const html = await res.text();
      for (const href of Object.keys(tabs)) expect(html).toContain(`<a href="${href}"`);
      expect(html).toContain(`<a href="${route}" aria-current="page">${label}</a>`);
    }
  });

  it("names the key in the ledger's client column and keeps its secret out of the database, logs and /admin", async () => {
    const created = await createKey(proxy, { name: 'ledgered' });
    fake.enqueue(answer(5, 5));
    await chat(proxy, created.key);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    let clients: string[] = [];
    for (let i = 0; i < 50 && !clients.includes(created.id); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const report = (await (
        await fetch(`${proxy.url}/admin/api/usage?group=client&from=${from}`, { headers: AUTH })
      ).json()) as { rows: { key: string }[] };
      clients = report.rows.map((r) => r.key);
    }
    expect(clients).toContain(created.id);
    const metrics = await (await fetch(`${proxy.url}/metrics`, { headers: AUTH })).text();
    expect(metrics).toContain(
      `gemini_proxy_client_key_requests_total{client="${created.id}",status="200"} 1`,
    );
    expect(metrics).toContain(`gemini_proxy_client_key_tokens_total{client="${created.id}"} 10`);

    const pages = await Promise.all(
      ['/admin', '/admin/api/keys', '/admin/audit', '/admin/credentials'].map(async (route) =>
        (await fetch(proxy.url + route, { headers: { ...AUTH, accept: 'text/html' } })).text(),
      ),
    );
    for (const page of pages) expect(page).not.toContain(created.key);
    const logged = logs.join('');
    expect(logged).toContain(`key.create ${created.id}`);
    expect(logged).not.toContain(created.key);
    expect(logged).not.toContain(created.key.slice(6));
    const files = readdirSync(proxy.credentialsDir).filter((f) => /\.db(-wal)?$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(path.join(proxy.credentialsDir, file)).toString('latin1');
      expect(bytes).not.toContain(created.key);
      expect(bytes).not.toContain(created.key.slice(6));
    }
  });
});
