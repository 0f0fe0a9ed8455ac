import { GoogleGenAI } from '@google/genai';
import { FakeGoogle } from './fake-google/fake-google';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const KEY = 'AIzaFakeKeyV1V1V1V1V1V1V1V1V1V1V1V1V1V1v1v1v';

type ModelList = { models: { name: string }[]; nextPageToken?: string };
type GoogleError = { error: { code: number; status: string; message: string } };

describe('native Gemini API under /v1 and the paged model list', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  const genai = (apiVersion?: string, apiKey = TEST_PASSWORD) =>
    new GoogleGenAI({ apiKey, httpOptions: { baseUrl: proxy.url, apiVersion } });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${proxy.url}${path}`, { headers: { 'x-goog-api-key': TEST_PASSWORD, ...headers } });
  const allNames = async (path: string) => {
    const res = await get(`${path}?pageSize=1000`);
    return ((await res.json()) as ModelList).models.map((m) => m.name);
  };

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY });
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  describe("@google/genai with apiVersion 'v1'", () => {
    it('generates content', async () => {
      const res = await genai('v1').models.generateContent({
        model: 'gemini-2.5-flash',
        contents: 'hi v1',
      });
      expect(res.text).toBe('Hello from gemini-2.5-flash: hi v1');
    });

    it('streams content', async () => {
      const stream = await genai('v1').models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'stream v1',
      });
      let text = '';
      for await (const chunk of stream) text += chunk.text ?? '';
      expect(text).toBe('Hello from gemini-2.5-flash: stream v1');
    });

    it('counts tokens', async () => {
      const res = await genai('v1').models.countTokens({
        model: 'gemini-2.5-flash',
        contents: 'one two three',
      });
      expect(res.totalTokens).toBe(3);
    });

    it('embeds content', async () => {
      const res = await genai('v1').models.embedContent({
        model: 'gemini-embedding-001',
        contents: ['first', 'second'],
        config: { outputDimensionality: 4 },
      });
      expect(res.embeddings?.map((e) => e.values?.length)).toEqual([4, 4]);
    });

    it('gets a model and lists them in Google’s shape', async () => {
      const one = await genai('v1').models.get({ model: 'gemini-2.5-pro' });
      expect(one.name).toBe('models/gemini-2.5-pro');
      const names: string[] = [];
      for await (const model of await genai('v1').models.list()) names.push(model.name!);
      expect(names).toEqual(await allNames('/v1beta/models'));
    });

    it('gets Google’s error shape for a wrong password', async () => {
      const error = (await genai('v1', 'wrong-password')
        .models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' })
        .catch((e: unknown) => e)) as { status?: number; message: string };
      expect(error.status).toBe(401);
      expect(JSON.parse(error.message.slice(error.message.indexOf('{')))).toMatchObject({
        error: { code: 401, status: 'UNAUTHENTICATED' },
      });
    });
  });

  describe('/v1/models shared with the OpenAI and Anthropic dialects', () => {
    it('answers in OpenAI’s shape to a request that is not from a Google SDK', async () => {
      const res = await get('/v1/models', { authorization: `Bearer ${TEST_PASSWORD}` });
      const body = (await res.json()) as { object: string; data: { id: string }[] };
      expect(body.object).toBe('list');
      expect(body.data.map((m) => m.id)).toContain('gemini-2.5-pro');
      const one = (await (await get('/v1/models/gemini-2.5-pro')).json()) as { object: string };
      expect(one.object).toBe('model');
    });

    it('answers in Anthropic’s shape to a request with anthropic-version', async () => {
      const res = await get('/v1/models', { 'anthropic-version': '2023-06-01' });
      expect(await res.json()).toMatchObject({ has_more: expect.any(Boolean) as unknown });
    });

    it('answers in Google’s shape to a Google SDK, errors included', async () => {
      const sdk = { 'x-goog-api-client': 'google-genai-sdk/1.0.0 gl-python/3.12' };
      const list = (await (await get('/v1/models', sdk)).json()) as ModelList;
      expect(list.models[0].name).toMatch(/^models\//);
      const missing = await get('/v1/models/gemini-0-nonexistent', sdk);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as GoogleError).error.status).toBe('NOT_FOUND');
      const unauthenticated = await fetch(`${proxy.url}/v1/models`, { headers: sdk });
      expect(unauthenticated.status).toBe(401);
      expect(((await unauthenticated.json()) as GoogleError).error.status).toBe('UNAUTHENTICATED');
    });

    it('refuses an unknown action with Google’s 404', async () => {
      const res = await fetch(`${proxy.url}/v1/models/gemini-2.5-flash:fly`, {
        method: 'POST',
        headers: { 'x-goog-api-key': TEST_PASSWORD, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(404);
      expect(((await res.json()) as GoogleError).error.status).toBe('NOT_FOUND');
    });
  });

  describe('GET /v1beta/models pages', () => {
    it('walks the whole list by pageSize and pageToken, with no token on the last page', async () => {
      const all = await allNames('/v1beta/models');
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const query = `pageSize=7${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
        const page = (await (await get(`/v1beta/models?${query}`)).json()) as ModelList;
        expect(page.models.length).toBeLessThanOrEqual(7);
        seen.push(...page.models.map((m) => m.name));
        token = page.nextPageToken;
        pages++;
      } while (token && pages < 100);
      expect(token).toBeUndefined();
      expect(pages).toBe(Math.ceil(all.length / 7));
      expect(seen).toEqual(all);
    });

    it('is walked by @google/genai’s pager', async () => {
      const pager = await genai().models.list({ config: { pageSize: 5 } });
      expect(pager.page).toHaveLength(5);
      const names: string[] = [];
      for await (const model of pager) names.push(model.name!);
      expect(names).toEqual(await allNames('/v1beta/models'));
    });

    it.each([
      ['a page token it never gave', '?pageToken=bm90LWEtdG9rZW4'],
      ['a page size that is not a number', '?pageSize=ten'],
    ])('refuses %s with Google’s 400', async (_, query) => {
      const res = await get(`/v1beta/models${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as GoogleError).error).toMatchObject({
        code: 400,
        status: 'INVALID_ARGUMENT',
      });
    });
  });

  describe('with more models than a default page holds', () => {
    let many: RunningProxy;
    const aliases = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`alias-${i}`, 'gemini-2.5-flash']),
    );

    beforeAll(async () => {
      many = await startTestProxy({
        ...fake.env(),
        GEMINI_API_KEYS: KEY,
        MODEL_ALIASES: JSON.stringify(aliases),
      });
    });

    afterAll(() => many?.close());

    it('gives 50 models a page when no pageSize is asked for, as Google does', async () => {
      const list = (path: string) =>
        fetch(`${many.url}${path}`, { headers: { 'x-goog-api-key': TEST_PASSWORD } }).then(
          (res) => res.json() as Promise<ModelList>,
        );
      const all = (await list('/v1beta/models?pageSize=1000')).models.map((m) => m.name);
      expect(all.length).toBeGreaterThan(60);
      const first = await list('/v1beta/models');
      expect(first.models.map((m) => m.name)).toEqual(all.slice(0, 50));
      const second = await list(`/v1beta/models?pageToken=${first.nextPageToken}`);
      expect(second.models.map((m) => m.name)).toEqual(all.slice(50, 100));
    });
  });
});
