import { GoogleGenAI } from '@google/genai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { FakeGoogle, type ServiceAccountKey } from './fake-google/fake-google';
import { errorInfo, googleError } from './fake-google/google-errors';
import { client as openaiClient } from './support/openai-sdk';
import { ManualClock } from './support/pool-harness';
import { health, RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';
import { writeServiceAccountFile } from './support/service-account-files';
import { waitFor } from './support/wait';

const SA_EMAIL = 'proxy-runner@vertex-proj.iam.gserviceaccount.com';
const SA2_EMAIL = 'second-runner@vertex-proj-2.iam.gserviceaccount.com';
const EXPRESS_KEY = 'AQ.Ab8RN6FakeVertexExpressKey000001xpr01';
const GEMINI_KEY = 'AIzaFakeKeyVertexMixAAAAAAAAAAAAAAAAmix01';
const AUTH = { authorization: `Bearer ${TEST_PASSWORD}` };
const PROJECT_ROUTE = '/v1/projects/vertex-proj/locations/us-central1/publishers/google/models';

function genai(proxy: RunningProxy): GoogleGenAI {
  return new GoogleGenAI({ apiKey: TEST_PASSWORD, httpOptions: { baseUrl: proxy.url } });
}

interface AdminCredentials {
  credentials: {
    id: string;
    kind: string;
    state: string;
    email: string | null;
    project: string | null;
    disabled: { reason: string; message: string; fixUrl: string | null } | null;
  }[];
}

async function adminCredentials(proxy: RunningProxy): Promise<AdminCredentials> {
  return (await (
    await fetch(`${proxy.url}/admin/credentials`, { headers: AUTH })
  ).json()) as AdminCredentials;
}

describe('Vertex AI credentials', () => {
  let fake: FakeGoogle;
  let key: ServiceAccountKey;
  let key2: ServiceAccountKey;
  const dirs: string[] = [];

  /** A credentials folder holding the given key files under user-chosen names. */
  function folder(files: Record<string, ServiceAccountKey | Record<string, unknown>>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'vertex-creds-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files))
      writeServiceAccountFile(dir, content, name);
    return dir;
  }

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    key = fake.createServiceAccount({ email: SA_EMAIL, projectId: 'vertex-proj' });
    key2 = fake.createServiceAccount({ email: SA2_EMAIL, projectId: 'vertex-proj-2' });
    fake.addVertexExpressKey(EXPRESS_KEY);
    fake.addApiKey(GEMINI_KEY);
    fake.addOAuthAccount({
      email: 'ada@example.com',
      refreshToken: 'rt-ada-vertexmix1',
      projectId: 'proj-ada',
    });
  });

  afterAll(async () => {
    await fake.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => fake.reset());

  describe('with a pool of only a service-account key file', () => {
    let proxy: RunningProxy;
    let openai: OpenAI;

    beforeAll(async () => {
      proxy = await startTestProxy({
        ...fake.env(),
        PERSISTENT_STORAGE_PATH: folder({ 'my-vertex-key.json': key }),
        VERTEX_LOCATION: 'us-central1',
      });
      openai = openaiClient(proxy);
    });

    afterAll(() => proxy.close());

    it('answers a chat completion from the project and location route with a granted token', async () => {
      const res = await openai.chat.completions.create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'hello vertex' }],
      });
      expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-flash: hello vertex');
      const call = fake.requests.find((r) => r.api === 'vertex')!;
      expect(call.path).toBe(`${PROJECT_ROUTE}/gemini-2.5-flash:generateContent`);
      expect(call.credential).toBe(SA_EMAIL);
      expect((call.body as { contents: { role: string }[] }).contents[0].role).toBe('user');
    });

    it('streams a chat completion as server-sent events', async () => {
      const stream = await openai.chat.completions.create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'stream it' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('Hello from gemini-2.5-flash: stream it');
      const call = fake.requests.find((r) => r.api === 'vertex')!;
      expect(call.path).toBe(`${PROJECT_ROUTE}/gemini-2.5-flash:streamGenerateContent`);
      expect(call.query.alt).toBe('sse');
    });

    it('answers the Responses API', async () => {
      const response = await openai.responses.create({
        model: 'gemini-2.5-flash',
        input: 'respond please',
      });
      expect(response.output_text).toBe('Hello from gemini-2.5-flash: respond please');
    });

    it('answers the Anthropic Messages API', async () => {
      const res = await fetch(`${proxy.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': TEST_PASSWORD,
          'anthropic-version': '2023-06-01',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'gemini-2.5-flash',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'hi claude' }],
        }),
      });
      const body = (await res.json()) as { content: { type: string; text: string }[] };
      expect(res.status).toBe(200);
      expect(body.content.find((b) => b.type === 'text')?.text).toBe(
        'Hello from gemini-2.5-flash: hi claude',
      );
    });

    it('fills in the role Vertex requires where the Gemini API would assume the user', async () => {
      const res = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ parts: [{ text: 'no role here' }] }] }),
      });
      expect(res.status).toBe(200);
      // Vertex's answer is relayed as Google sent it, its own fields included.
      expect(await res.json()).toHaveProperty('createTime');
      const call = fake.requests.find((r) => r.api === 'vertex')!;
      expect(call.body).toEqual({
        contents: [{ role: 'user', parts: [{ text: 'no role here' }] }],
      });
    });

    it('serves the native generate, stream and count routes through @google/genai', async () => {
      const ai = genai(proxy);
      const one = await ai.models.generateContent({
        model: 'gemini-2.5-flash',
        contents: 'native call',
      });
      expect(one.text).toBe('Hello from gemini-2.5-flash: native call');
      const texts: string[] = [];
      for await (const chunk of await ai.models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'native stream',
      })) {
        texts.push(chunk.text ?? '');
      }
      expect(texts.join('')).toBe('Hello from gemini-2.5-flash: native stream');
      const counted = await ai.models.countTokens({
        model: 'gemini-2.5-flash',
        contents: 'one two three',
      });
      expect(counted.totalTokens).toBe(3);
      const count = fake.requests.find((r) => r.action === 'countTokens')!;
      expect(count.path).toBe(`${PROJECT_ROUTE}/gemini-2.5-flash:countTokens`);
      expect(count.body).not.toHaveProperty('generateContentRequest');
    });

    it('counts tokens for the Responses and Messages routes, system text included', async () => {
      const responses = await openai.responses.inputTokens.count({
        model: 'gemini-2.5-flash',
        input: 'one two three',
        instructions: 'four five',
      });
      expect(responses.input_tokens).toBe(5);
      const res = await fetch(`${proxy.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: {
          'x-api-key': TEST_PASSWORD,
          'anthropic-version': '2023-06-01',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'gemini-2.5-flash',
          system: 'four five',
          messages: [{ role: 'user', content: 'one two three' }],
        }),
      });
      expect(((await res.json()) as { input_tokens: number }).input_tokens).toBe(5);
      const counts = fake.requests.filter((r) => r.action === 'countTokens');
      expect(counts.map((r) => r.path)).toEqual([
        `${PROJECT_ROUTE}/gemini-2.5-flash:countTokens`,
        `${PROJECT_ROUTE}/gemini-2.5-flash:countTokens`,
      ]);
    });

    it('embeds through @google/genai with one predict call per input for gemini-embedding-001', async () => {
      const res = await genai(proxy).models.embedContent({
        model: 'gemini-embedding-001',
        contents: ['first text', 'second text'],
        config: { outputDimensionality: 4 },
      });
      expect(res.embeddings?.map((e) => e.values?.length)).toEqual([4, 4]);
      const predicts = fake.requests.filter((r) => r.action === 'predict');
      expect(predicts.map((r) => r.path)).toEqual([
        `${PROJECT_ROUTE}/gemini-embedding-001:predict`,
        `${PROJECT_ROUTE}/gemini-embedding-001:predict`,
      ]);
      expect(predicts[0].body).toEqual({
        instances: [{ content: 'first text' }],
        parameters: { outputDimensionality: 4, autoTruncate: true },
      });
    });

    it('embeds through the openai SDK, a text-embedding model in one predict call', async () => {
      const res = await openai.embeddings.create({
        model: 'text-embedding-005',
        input: ['alpha', 'beta', 'gamma'],
        encoding_format: 'float',
        dimensions: 6,
      });
      expect(res.data.map((d) => [d.index, d.embedding.length])).toEqual([
        [0, 6],
        [1, 6],
        [2, 6],
      ]);
      expect(fake.requests.filter((r) => r.action === 'predict')).toHaveLength(1);
    });

    it('embeds with the newer Gemini embedding models through Vertex embedContent', async () => {
      const res = await openai.embeddings.create({
        model: 'gemini-embedding-2-preview',
        input: 'new model',
        encoding_format: 'float',
        dimensions: 5,
      });
      expect(res.data[0].embedding).toHaveLength(5);
      const call = fake.requests.find((r) => r.api === 'vertex')!;
      expect(call.path).toBe(`${PROJECT_ROUTE}/gemini-embedding-2-preview:embedContent`);
      expect(call.body).toEqual({
        content: { parts: [{ text: 'new model' }] },
        outputDimensionality: 5,
      });
    });

    it('lists the maintained model catalogue', async () => {
      const ids = (await openai.models.list()).data.map((m) => m.id);
      expect(ids).toEqual(expect.arrayContaining(['gemini-2.5-pro', 'gemini-2.5-flash']));
    });
  });

  it('shares one JWT bearer grant between concurrent requests and reuses the token after', async () => {
    const proxy = await startTestProxy({
      ...fake.env(),
      PERSISTENT_STORAGE_PATH: folder({ 'key.json': key }),
      VERTEX_LOCATION: 'us-central1',
    });
    try {
      const ai = genai(proxy);
      const ask = (n: number) =>
        ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `q${n}` });
      await Promise.all([1, 2, 3, 4, 5].map(ask));
      await ask(6);
      expect(fake.serviceAccountGrants(SA_EMAIL)).toBe(1);
      const grant = fake.requests.find((r) => r.action === 'jwt-bearer')!;
      expect(grant.path).toBe('/token');
    } finally {
      await proxy.close();
    }
  });

  it('grants a new token before the old one expires', async () => {
    const email = 'short-lived@vertex-proj.iam.gserviceaccount.com';
    // Five minutes is the proxy's margin: a 330 s token is used for its first 30 s only.
    const shortLived = fake.createServiceAccount({
      email,
      projectId: 'vertex-proj',
      accessTokenTtlSeconds: 330,
    });
    const clock = new ManualClock();
    const proxy = await startTestProxy(
      { ...fake.env(), PERSISTENT_STORAGE_PATH: folder({ 's.json': shortLived }) },
      { clock },
    );
    try {
      const ai = genai(proxy);
      await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'one' });
      await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'two' });
      expect(fake.serviceAccountGrants(email)).toBe(1);
      // Less than the minute of clock skew Google tolerates on the next assertion's iat.
      clock.advance(45_000);
      await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'three' });
      expect(fake.serviceAccountGrants(email)).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('gives up on a token endpoint that hangs within UPSTREAM_TIMEOUT_MS, blaming no credential', async () => {
    const proxy = await startTestProxy({
      ...fake.env(),
      PERSISTENT_STORAGE_PATH: folder({ 'k.json': key }),
      UPSTREAM_TIMEOUT_MS: '1000',
    });
    try {
      fake.failNext({ kind: 'hang' }, { action: 'jwt-bearer' });
      const started = Date.now();
      const res = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'wait' }] }] }),
      });
      expect(res.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await adminCredentials(proxy)).credentials[0].state).not.toBe('disabled');
    } finally {
      await proxy.close();
    }
  });

  it('loads the file GOOGLE_APPLICATION_CREDENTIALS names, in the location VERTEX_LOCATION gives', async () => {
    const dir = folder({ 'elsewhere.json': key2 });
    const proxy = await startTestProxy({
      ...fake.env(),
      GOOGLE_APPLICATION_CREDENTIALS: path.join(dir, 'elsewhere.json'),
      VERTEX_LOCATION: 'europe-west4',
    });
    try {
      await genai(proxy).models.generateContent({ model: 'gemini-2.5-flash', contents: 'adc' });
      expect(fake.requests.find((r) => r.api === 'vertex')?.path).toBe(
        '/v1/projects/vertex-proj-2/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent',
      );
    } finally {
      await proxy.close();
    }
  });

  it('takes a per-file location over VERTEX_LOCATION', async () => {
    const proxy = await startTestProxy({
      ...fake.env(),
      PERSISTENT_STORAGE_PATH: folder({ 'eu.json': { ...key, location: 'eu' } }),
      VERTEX_LOCATION: 'us-central1',
    });
    try {
      await genai(proxy).models.generateContent({ model: 'gemini-2.5-flash', contents: 'eu' });
      expect(fake.requests.find((r) => r.api === 'vertex')?.path).toMatch(
        /^\/v1\/projects\/vertex-proj\/locations\/eu\//,
      );
    } finally {
      await proxy.close();
    }
  });

  it('takes a key file dropped into the folder, and a replaced key re-enables its account', async () => {
    const email = 'hot-reload@vertex-proj.iam.gserviceaccount.com';
    const dir = folder({});
    const proxy = await startTestProxy({ ...fake.env(), PERSISTENT_STORAGE_PATH: dir });
    try {
      const first = fake.createServiceAccount({ email, projectId: 'vertex-proj' });
      writeServiceAccountFile(dir, first, 'dropped.json');
      await waitFor(
        async () => (await health(proxy)).credentials === 1,
        5000,
        'the new key to load',
      );
      fake.deleteServiceAccountKey(email);
      const ask = () =>
        fetch(`${proxy.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
          method: 'POST',
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'again' }] }] }),
        });
      expect((await ask()).status).not.toBe(200);
      expect((await adminCredentials(proxy)).credentials[0].state).toBe('disabled');
      writeServiceAccountFile(
        dir,
        fake.createServiceAccount({ email, projectId: 'vertex-proj' }),
        'dropped.json',
      );
      await waitFor(
        async () => (await adminCredentials(proxy)).credentials[0]?.state === 'ok',
        5000,
        'the replaced key to re-enable the account',
      );
      expect((await ask()).status).toBe(200);
    } finally {
      await proxy.close();
    }
  });

  describe('with express-mode keys', () => {
    let proxy: RunningProxy;

    beforeAll(async () => {
      proxy = await startTestProxy({ ...fake.env(), VERTEX_API_KEYS: EXPRESS_KEY });
    });

    afterAll(() => proxy.close());

    it('generates, streams and counts on the global publisher route with the key in a header', async () => {
      const ai = genai(proxy);
      expect(
        (await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'xp' })).text,
      ).toBe('Hello from gemini-2.5-flash: xp');
      let streamed = '';
      for await (const c of await ai.models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'xs',
      })) {
        streamed += c.text ?? '';
      }
      expect(streamed).toBe('Hello from gemini-2.5-flash: xs');
      expect(
        (await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'a b' })).totalTokens,
      ).toBe(2);
      const calls = fake.requests.filter((r) => r.api === 'vertex');
      expect(calls.map((r) => r.path)).toEqual([
        '/v1/publishers/google/models/gemini-2.5-flash:generateContent',
        '/v1/publishers/google/models/gemini-2.5-flash:streamGenerateContent',
        '/v1/publishers/google/models/gemini-2.5-flash:countTokens',
      ]);
      expect(calls.every((r) => r.headers['x-goog-api-key'] === EXPRESS_KEY && !r.query.key)).toBe(
        true,
      );
    });

    it('refuses embeddings with a 503 that says which credentials can serve them', async () => {
      const res = await fetch(`${proxy.url}/v1/embeddings`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gemini-embedding-001', input: 'x' }),
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /Vertex AI service account/,
      );
      expect(fake.requests.filter((r) => r.api === 'vertex')).toHaveLength(0);
    });
  });

  it('rotates a mixed pool across OAuth, Gemini API keys, service accounts and express keys', async () => {
    const dir = folder({ 'vertex.json': key });
    writeServiceAccountFile(
      dir,
      {
        client_id: 'c',
        client_secret: 's',
        refresh_token: 'rt-ada-vertexmix1',
        project_id: 'proj-ada',
        user_email: 'ada@example.com',
      },
      'oauth_creds_ada.json',
    );
    const proxy = await startTestProxy({
      ...fake.env(),
      PERSISTENT_STORAGE_PATH: dir,
      VERTEX_LOCATION: 'us-central1',
      GEMINI_API_KEYS: GEMINI_KEY,
      VERTEX_API_KEYS: EXPRESS_KEY,
    });
    try {
      const ai = genai(proxy);
      for (let i = 0; i < 8; i++)
        await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `m${i}` });
      const served = fake.requests
        .filter((r) => r.action === 'generateContent')
        .map((r) => `${r.api}:${r.credential}`);
      expect(new Set(served)).toEqual(
        new Set([
          'code-assist:ada@example.com',
          `gemini:${GEMINI_KEY}`,
          `vertex:${SA_EMAIL}`,
          `vertex:${EXPRESS_KEY}`,
        ]),
      );
      expect(served.filter((s) => s === `vertex:${SA_EMAIL}`)).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  describe('failures', () => {
    let proxy: RunningProxy;

    beforeEach(async () => {
      proxy = await startTestProxy({
        ...fake.env(),
        PERSISTENT_STORAGE_PATH: folder({ 'a.json': key, 'b.json': key2 }),
        VERTEX_LOCATION: 'us-central1',
      });
    });

    afterEach(() => proxy.close());

    it('fails over from a rate-limited service account and cools it for that model', async () => {
      // Vertex's 429 carries no RetryInfo: the pool's backoff decides how long it cools.
      fake.failNext({
        status: 429,
        body: googleError(
          429,
          'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.',
        ),
      });
      const res = await genai(proxy).models.generateContent({
        model: 'gemini-2.5-flash',
        contents: 'go',
      });
      expect(res.text).toBe('Hello from gemini-2.5-flash: go');
      const calls = fake.requests.filter((r) => r.action === 'generateContent');
      expect(calls).toHaveLength(2);
      expect(calls[0].credential).not.toBe(calls[1].credential);
      const cooled = (await adminCredentials(proxy)).credentials.find(
        (c) => c.email === calls[0].credential,
      )!;
      expect(cooled.state).toBe('cooling');
    });

    it('disables a service account whose project has the Vertex AI API off, with Google’s reason and link', async () => {
      const activationUrl =
        'https://console.developers.google.com/apis/api/aiplatform.googleapis.com/overview?project=vertex-proj';
      fake.failNext(
        {
          status: 403,
          body: googleError(
            403,
            'Vertex AI API has not been used in project vertex-proj before or it is disabled.',
            [
              errorInfo('SERVICE_DISABLED', 'googleapis.com', {
                service: 'aiplatform.googleapis.com',
                activationUrl,
              }),
            ],
          ),
        },
        { credential: SA_EMAIL, times: 5 },
      );
      const ai = genai(proxy);
      for (let i = 0; i < 3; i++)
        await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `d${i}` });
      const disabled = (await adminCredentials(proxy)).credentials.find(
        (c) => c.email === SA_EMAIL,
      )!;
      expect(disabled).toMatchObject({
        kind: 'vertex',
        state: 'disabled',
        project: 'vertex-proj',
        disabled: { reason: 'SERVICE_DISABLED', fixUrl: activationUrl },
      });
      const after = fake.requests.filter((r) => r.action === 'generateContent');
      expect(after.filter((r) => r.credential === SA_EMAIL)).toHaveLength(1);
    });

    it('disables a service account whose key Google no longer accepts (invalid_grant)', async () => {
      const other = fake.createServiceAccount({
        email: 'rotated@vertex-proj.iam.gserviceaccount.com',
        projectId: 'vertex-proj',
      });
      const dir = folder({ 'rotated.json': other });
      fake.deleteServiceAccountKey(other.client_email);
      const solo = await startTestProxy({ ...fake.env(), PERSISTENT_STORAGE_PATH: dir });
      try {
        const res = await fetch(`${solo.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
          method: 'POST',
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
        });
        expect(res.status).toBe(503);
        const answer = ((await res.json()) as { error: { message: string } }).error.message;
        const [row] = (await adminCredentials(solo)).credentials;
        expect(row).toMatchObject({
          state: 'disabled',
          disabled: {
            reason: 'invalid_grant',
            fixUrl:
              'https://console.cloud.google.com/iam-admin/serviceaccounts?project=vertex-proj',
          },
        });
        // A key file has no login to repeat: the advice is about the key, with Google's reason.
        for (const message of [answer, row.disabled!.message]) {
          expect(message).not.toMatch(/log (the account )?in again/i);
          expect(message).toMatch(/deleted or revoked.*replace the file/);
          expect(message).toContain('Invalid JWT Signature.');
        }
      } finally {
        await solo.close();
      }
    });
  });
});
