import { GoogleGenAI } from '@google/genai';
import { FakeGoogle } from './fake-google';
import { postJson, replyText, sseEvents, userTurn } from './spec-helpers';

const KEY = 'AIza-fake-key';

describe('FakeGoogle: Gemini API', () => {
  let fake: FakeGoogle;

  beforeEach(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
  });

  afterEach(() => fake.close());

  const model = (name: string, action: string, query = '') =>
    `${fake.url}/v1beta/models/${name}:${action}${query}`;
  const withKey = { 'x-goog-api-key': KEY };

  describe('API keys', () => {
    it.each([
      ['header', (url: string) => postJson(url, userTurn('hi'), { 'x-goog-api-key': 'nope' })],
      ['query parameter', (url: string) => postJson(`${url}?key=nope`, userTurn('hi'))],
    ])('rejects an unknown key given as a %s with API_KEY_INVALID', async (_how, send) => {
      const res = await send(model('gemini-2.5-flash', 'generateContent'));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'API key not valid. Please pass a valid API key.',
          details: [{ reason: 'API_KEY_INVALID' }, {}],
        },
      });
    });

    it('rejects a call without any key with 403', async () => {
      const res = await postJson(model('gemini-2.5-flash', 'generateContent'), userTurn('hi'));
      expect(res.status).toBe(403);
    });

    it('accepts a registered key from the query string and records it as the credential', async () => {
      const res = await postJson(
        model('gemini-2.5-flash', 'generateContent', `?key=${KEY}`),
        userTurn('hi'),
      );
      expect(res.status).toBe(200);
      expect(fake.requests[0]).toMatchObject({
        api: 'gemini',
        credential: KEY,
        model: 'gemini-2.5-flash',
      });
    });
  });

  describe('generation', () => {
    it('answers generateContent with a bare GenerateContentResponse', async () => {
      const res = await postJson(
        model('gemini-2.5-flash', 'generateContent'),
        userTurn('hi'),
        withKey,
      );
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).not.toHaveProperty('response');
      expect(replyText(body)).toBe('Hello from gemini-2.5-flash: hi');
    });

    it('streams SSE events of bare responses with alt=sse', async () => {
      const res = await postJson(
        model('gemini-2.5-flash', 'streamGenerateContent', '?alt=sse'),
        userTurn('hi'),
        withKey,
      );
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const events = sseEvents(await res.text());
      expect(events).toHaveLength(3);
      expect(events.map((e) => replyText(e)).join('')).toBe('Hello from gemini-2.5-flash: hi');
    });

    it('streams one JSON array, element by element, without alt=sse', async () => {
      const res = await postJson(
        model('gemini-2.5-flash', 'streamGenerateContent'),
        userTurn('hi'),
        withKey,
      );
      expect(res.headers.get('content-type')).toContain('application/json');
      const text = await res.text();
      expect(text.startsWith('[{')).toBe(true);
      expect(text).toContain('}\r\n,{');
      const events = JSON.parse(text) as unknown[];
      expect(events).toHaveLength(3);
      expect(events[2]).toMatchObject({ candidates: [{ finishReason: 'STOP' }] });
    });

    it('answers 404 NOT_FOUND for a model it does not serve', async () => {
      const res = await postJson(
        model('gemini-0-nope', 'generateContent'),
        userTurn('hi'),
        withKey,
      );
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { status: 'NOT_FOUND' } });
    });

    it.each([
      ['contents', userTurn('one two three')],
      [
        'generateContentRequest',
        {
          generateContentRequest: {
            model: 'models/gemini-2.5-flash',
            ...userTurn('one two three'),
          },
        },
      ],
    ])('counts tokens from %s', async (_form, body) => {
      const res = await postJson(model('gemini-2.5-flash', 'countTokens'), body, withKey);
      expect(await res.json()).toMatchObject({ totalTokens: 3 });
    });
  });

  describe('embeddings', () => {
    const content = (text: string) => ({ parts: [{ text }] });

    it('embeds a text into the same vector every time, of the asked length', async () => {
      const embed = async () =>
        (await (
          await postJson(
            model('gemini-embedding-001', 'embedContent'),
            { content: content('hello'), outputDimensionality: 5 },
            withKey,
          )
        ).json()) as { embedding: { values: number[] } };
      const [a, b] = [await embed(), await embed()];
      expect(a.embedding.values).toHaveLength(5);
      expect(a).toEqual(b);
    });

    it('embeds a batch, one vector per request, 8 numbers by default', async () => {
      const requests = ['a', 'b'].map((t) => ({
        model: 'models/gemini-embedding-001',
        content: content(t),
      }));
      const res = await postJson(
        model('gemini-embedding-001', 'batchEmbedContents'),
        { requests },
        withKey,
      );
      const body = (await res.json()) as { embeddings: { values: number[] }[] };
      expect(body.embeddings).toHaveLength(2);
      expect(body.embeddings[0].values).toHaveLength(8);
      expect(body.embeddings[0].values).not.toEqual(body.embeddings[1].values);
    });

    it('rejects a batch entry naming another model with 400', async () => {
      const requests = [{ model: 'models/other', content: content('a') }];
      const res = await postJson(
        model('gemini-embedding-001', 'batchEmbedContents'),
        { requests },
        withKey,
      );
      expect(res.status).toBe(400);
    });
  });

  describe('models', () => {
    const get = (path: string) => fetch(`${fake.url}/v1beta/${path}`, { headers: withKey });

    it('lists models in pages linked by nextPageToken', async () => {
      const first = (await (await get('models?pageSize=2')).json()) as {
        models: { name: string }[];
        nextPageToken?: string;
      };
      expect(first.models).toHaveLength(2);
      const names = first.models.map((m) => m.name);
      let token = first.nextPageToken;
      while (token) {
        const page = (await (
          await get(`models?pageSize=2&pageToken=${token}`)
        ).json()) as typeof first;
        names.push(...page.models.map((m) => m.name));
        token = page.nextPageToken;
      }
      expect(names).toEqual(
        expect.arrayContaining([
          'models/gemini-2.5-pro',
          'models/gemini-2.5-flash',
          'models/gemini-3-pro-preview',
          'models/gemini-embedding-001',
        ]),
      );
    });

    it('describes one model in Google shape', async () => {
      expect(await (await get('models/gemini-2.5-pro')).json()).toMatchObject({
        name: 'models/gemini-2.5-pro',
        inputTokenLimit: expect.any(Number),
        outputTokenLimit: expect.any(Number),
        supportedGenerationMethods: expect.arrayContaining(['generateContent']),
      });
    });

    it('answers 404 for an unknown model', async () => {
      expect((await get('models/gemini-0-nope')).status).toBe(404);
    });
  });

  describe('with the @google/genai SDK', () => {
    // A fetch of our own: the SDK's default undici dispatcher is not reachable inside Jest's VM.
    const sdk = () =>
      new GoogleGenAI({
        apiKey: KEY,
        httpOptions: { baseUrl: fake.url, fetch: (input, init) => fetch(input, init) },
      });

    it('generates and streams', async () => {
      const ai = sdk();
      const reply = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
      expect(reply.text).toBe('Hello from gemini-2.5-flash: hi');
      let streamed = '';
      for await (const chunk of await ai.models.generateContentStream({
        model: 'gemini-2.5-pro',
        contents: 'yo',
      })) {
        streamed += chunk.text ?? '';
      }
      expect(streamed).toBe('Hello from gemini-2.5-pro: yo');
    });

    it('embeds with outputDimensionality', async () => {
      const res = await sdk().models.embedContent({
        model: 'gemini-embedding-001',
        contents: ['a', 'b'],
        config: { outputDimensionality: 4 },
      });
      expect(res.embeddings?.map((e) => e.values?.length)).toEqual([4, 4]);
    });
  });
});
