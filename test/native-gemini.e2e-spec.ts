import { GoogleGenAI } from '@google/genai';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FakeGoogle } from './fake-google/fake-google';
import { health, RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';
import { waitFor } from './support/wait';

const KEY_A = 'AIzaFakeKeyAAAAAAAAAAAAAAAAAAAAAAAAaaaaa';
const KEY_B = 'AIzaFakeKeyBBBBBBBBBBBBBBBBBBBBBBBBbbbbb';

function client(proxy: RunningProxy): GoogleGenAI {
  return new GoogleGenAI({ apiKey: TEST_PASSWORD, httpOptions: { baseUrl: proxy.url } });
}

function writeCredential(dir: string, name: string, fields: Record<string, unknown>): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(fields), { mode: 0o600 });
  return file;
}

describe('native Gemini API through @google/genai', () => {
  let fake: FakeGoogle;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY_A);
    fake.addApiKey(KEY_B);
    fake.addOAuthAccount({
      email: 'ada@example.com',
      refreshToken: 'rt-ada-0000011111',
      projectId: 'proj-ada',
    });
    fake.addOAuthAccount({
      email: 'bob@example.com',
      refreshToken: 'rt-bob-0000022222',
      projectId: 'proj-bob',
    });
    fake.addOAuthAccount({
      email: 'new@example.com',
      refreshToken: 'rt-new-0000033333',
      projectId: 'proj-created',
      setup: { kind: 'free-tier' },
    });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => fake.reset());

  describe('with an API-key pool', () => {
    let proxy: RunningProxy;

    beforeAll(async () => {
      proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: `${KEY_A},${KEY_B}` });
    });

    afterAll(async () => {
      await proxy.close();
    });

    it('generates content', async () => {
      const res = await client(proxy).models.generateContent({
        model: 'gemini-2.5-flash',
        contents: 'hi there',
      });
      expect(res.text).toBe('Hello from gemini-2.5-flash: hi there');
      expect(res.usageMetadata?.totalTokenCount).toBeGreaterThan(0);
    });

    it('keeps every field of the request on its way to Google', async () => {
      await client(proxy).models.generateContent({
        model: 'gemini-2.5-flash',
        contents: [{ role: 'user', parts: [{ text: 'x', thoughtSignature: 'c2ln' }] }],
        config: {
          systemInstruction: 'be brief',
          temperature: 0.2,
          toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
        } as never,
      });
      const seen = fake.requests.find((r) => r.action === 'generateContent')!.body;
      expect(seen).toMatchObject({
        systemInstruction: { parts: [{ text: 'be brief' }] },
        generationConfig: { temperature: 0.2 },
        toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
        contents: [{ parts: [{ text: 'x', thoughtSignature: 'c2ln' }] }],
      });
    });

    it('streams content as server-sent events', async () => {
      const stream = await client(proxy).models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'stream me please',
      });
      const texts: string[] = [];
      for await (const chunk of stream) texts.push(chunk.text ?? '');
      expect(texts.length).toBeGreaterThan(1);
      expect(texts.join('')).toBe('Hello from gemini-2.5-flash: stream me please');
    });

    it('counts tokens', async () => {
      const res = await client(proxy).models.countTokens({
        model: 'gemini-2.5-flash',
        contents: 'one two three',
      });
      expect(res.totalTokens).toBe(3);
    });

    it('embeds content', async () => {
      const res = await client(proxy).models.embedContent({
        model: 'gemini-embedding-001',
        contents: ['first text', 'second text'],
        config: { outputDimensionality: 4 },
      });
      expect(res.embeddings).toHaveLength(2);
      expect(res.embeddings![0].values).toHaveLength(4);
    });

    it('lists and gets models in Google’s shape', async () => {
      const pager = await client(proxy).models.list();
      const names: string[] = [];
      for await (const m of pager) names.push(m.name!);
      expect(names).toContain('models/gemini-2.5-pro');
      expect(names).toContain('models/gemini-2.5-pro-search');
      const one = await client(proxy).models.get({ model: 'gemini-2.5-pro' });
      expect(one.name).toBe('models/gemini-2.5-pro');
    });

    it('rotates the keys request by request', async () => {
      const ai = client(proxy);
      for (let i = 0; i < 4; i++)
        await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `n${i}` });
      const used = fake.requests
        .filter((r) => r.action === 'generateContent')
        .map((r) => r.credential);
      expect(used).toEqual([used[0], used[1], used[0], used[1]]);
      expect(new Set(used)).toEqual(new Set([KEY_A, KEY_B]));
    });

    it('streams a JSON array when alt=sse is not asked for', async () => {
      const res = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': TEST_PASSWORD, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'array please' }] }] }),
      });
      expect(res.status).toBe(200);
      const items = JSON.parse(await res.text()) as {
        candidates: { content: { parts: { text: string }[] } }[];
      }[];
      expect(items.length).toBeGreaterThan(1);
      expect(items.map((i) => i.candidates[0].content.parts[0].text).join('')).toBe(
        'Hello from gemini-2.5-flash: array please',
      );
    });

    it('returns Google’s own error status and body for a bad request', async () => {
      fake.failNext({
        status: 400,
        body: {
          error: {
            code: 400,
            message: 'Invalid JSON payload received.',
            status: 'INVALID_ARGUMENT',
          },
        },
      });
      const res = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': TEST_PASSWORD, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' },
      });
    });
  });

  describe('with an OAuth pool on Code Assist', () => {
    let proxy: RunningProxy;
    let adaFile: string;

    beforeAll(async () => {
      proxy = await startTestProxy({ ...fake.env() });
      adaFile = writeCredential(proxy.credentialsDir, 'oauth_creds_ada_example_com_proj-ada.json', {
        client_id: 'client-id',
        client_secret: 'client-secret',
        refresh_token: 'rt-ada-0000011111',
        access_token: 'expired-access-token',
        expiry_date: Date.now() - 60_000,
        token_uri: 'https://oauth2.googleapis.com/token',
        project_id: 'proj-ada',
        user_email: 'ada@example.com',
      });
      writeCredential(proxy.credentialsDir, 'oauth_creds_bob_example_com_proj-bob.json', {
        refresh_token: 'rt-bob-0000022222',
        project_id: 'proj-bob',
        user_email: 'bob@example.com',
      });
      await waitFor(async () => (await health(proxy)).credentials === 2);
    });

    afterAll(async () => {
      await proxy.close();
    });

    it('generates and streams through the Code Assist envelope', async () => {
      const ai = client(proxy);
      const one = await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'hello' });
      expect(one.text).toBe('Hello from gemini-2.5-pro: hello');
      const texts: string[] = [];
      for await (const c of await ai.models.generateContentStream({
        model: 'gemini-2.5-pro',
        contents: 'again',
      })) {
        texts.push(c.text ?? '');
      }
      expect(texts.join('')).toBe('Hello from gemini-2.5-pro: again');
      const sent = fake.requests.find(
        (r) => r.api === 'code-assist' && r.action === 'generateContent',
      )!;
      expect(sent.body).toMatchObject({
        model: 'gemini-2.5-pro',
        request: { contents: expect.any(Array) },
      });
      expect(['proj-ada', 'proj-bob']).toContain((sent.body as { project: string }).project);
    });

    it('counts tokens through Code Assist', async () => {
      const res = await client(proxy).models.countTokens({
        model: 'gemini-2.5-pro',
        contents: 'a b c d',
      });
      expect(res.totalTokens).toBe(4);
    });

    it('alternates the accounts', async () => {
      const ai = client(proxy);
      for (let i = 0; i < 4; i++)
        await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: `n${i}` });
      const used = fake.requests
        .filter((r) => r.action === 'generateContent')
        .map((r) => r.credential);
      expect(used).toEqual([used[0], used[1], used[0], used[1]]);
      expect(new Set(used)).toEqual(new Set(['ada@example.com', 'bob@example.com']));
    });

    it('refreshes an expired token once for concurrent requests and writes it back', async () => {
      const before = fake.tokenRefreshes('rt-ada-0000011111');
      const ai = client(proxy);
      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `c${i}` }),
        ),
      );
      expect(fake.tokenRefreshes('rt-ada-0000011111') - before).toBeLessThanOrEqual(1);
      await waitFor(
        async () =>
          JSON.parse(readFileSync(adaFile, 'utf8')).access_token !== 'expired-access-token',
      );
      const saved = JSON.parse(readFileSync(adaFile, 'utf8'));
      expect(saved.refresh_token).toBe('rt-ada-0000011111');
      expect(saved.expiry_date).toBeGreaterThan(Date.now());
      expect(statSync(adaFile).mode & 0o777).toBe(0o600);
    });
  });

  describe('with an account that has no project yet', () => {
    it('onboards it and saves the project id in its file', async () => {
      const proxy = await startTestProxy({ ...fake.env() });
      try {
        const file = writeCredential(
          proxy.credentialsDir,
          'oauth_creds_new_example_com_unspecified.json',
          {
            refresh_token: 'rt-new-0000033333',
            user_email: 'new@example.com',
          },
        );
        await waitFor(async () => (await health(proxy)).credentials === 1);
        const res = await client(proxy).models.generateContent({
          model: 'gemini-2.5-flash',
          contents: 'first',
        });
        expect(res.text).toBe('Hello from gemini-2.5-flash: first');
        await waitFor(
          async () => JSON.parse(readFileSync(file, 'utf8')).project_id === 'proj-created',
        );
        const onboard = fake.requests.find((r) => r.action === 'onboardUser')!;
        expect(onboard.body).not.toHaveProperty('cloudaicompanionProject');
      } finally {
        await proxy.close();
      }
    });
  });

  describe('with no credentials', () => {
    it('starts and answers model calls with a 503 that says how to add credentials', async () => {
      const proxy = await startTestProxy({ ...fake.env() });
      try {
        const res = await fetch(
          `${proxy.url}/v1beta/models/gemini-2.5-pro:generateContent?key=${TEST_PASSWORD}`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
          },
        );
        expect(res.status).toBe(503);
        const body = (await res.json()) as {
          error: { code: number; message: string; status: string };
        };
        expect(body.error.status).toBe('UNAVAILABLE');
        expect(body.error.message).toMatch(/gen-creds/);
        expect(body.error.message).toMatch(/GEMINI_API_KEYS/);
      } finally {
        await proxy.close();
      }
    });
  });
});
