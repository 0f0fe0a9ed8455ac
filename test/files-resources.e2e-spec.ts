import { GoogleGenAI } from '@google/genai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle } from './fake-google/fake-google';
import { errorInfo, googleError, rateLimited } from './fake-google/google-errors';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';
import { RedisServer } from './support/redis-server';
import { credentialStatus, enableAll, poolStatus } from './support/pool-harness';

const KEY_A = 'AIzaFilesKeyAAAAAAAAAAAAAAAAAAAAAAAAaaaa';
const KEY_B = 'AQ.FilesAuthKeyBBBBBBBBBBBBBBBBBBBBBBBbbbb';
const KEY_C = 'AIzaFilesKeyCCCCCCCCCCCCCCCCCCCCCCCCcccc';
const MODEL = 'gemini-2.5-flash';

function client(proxy: RunningProxy): GoogleGenAI {
  return new GoogleGenAI({ apiKey: TEST_PASSWORD, httpOptions: { baseUrl: proxy.url } });
}

describe('Google stateful resources through the pool (@google/genai)', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let dir: string;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    for (const key of [KEY_A, KEY_B, KEY_C]) fake.addApiKey(key);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: `${KEY_A},${KEY_B},${KEY_C}`,
      BODY_LIMIT: '64kb',
      BODY_BYTES_IN_FLIGHT: '64kb',
      FILES_MAX_BYTES: '12mb',
    });
    dir = mkdtempSync(path.join(tmpdir(), 'files-e2e-'));
  });

  afterAll(async () => {
    await proxy.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    fake.reset();
    await enableAll(proxy);
  });

  function file(name: string, bytes: number): string {
    const at = path.join(dir, name);
    writeFileSync(at, Buffer.alloc(bytes, 7));
    return at;
  }

  const uploadsBy = () =>
    fake.requests
      .filter((r) => r.action === 'uploadChunk' || r.action === 'uploadFile')
      .map((r) => r.credential);

  it('sends an AQ. key only in x-goog-api-key, as it sends AIza keys', async () => {
    for (let i = 0; i < 3; i++) {
      await client(proxy).models.generateContent({ model: MODEL, contents: `hi ${i}` });
    }
    const onB = fake.requests.filter((r) => r.credential === KEY_B);
    expect(onB.length).toBeGreaterThan(0);
    for (const r of onB) {
      expect(r.headers['x-goog-api-key']).toBe(KEY_B);
      expect(r.headers.authorization).toBeUndefined();
      expect(r.query.key).toBeUndefined();
    }
  });

  it("disables an AQ. key Google refuses with ACCESS_TOKEN_TYPE_UNSUPPORTED, with Google's reason", async () => {
    fake.failNext(
      {
        status: 401,
        body: googleError(401, 'API keys are not supported by this API.', [
          errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED', 'googleapis.com'),
        ]),
      },
      { credential: KEY_B, times: 5 },
    );
    for (let i = 0; i < 3; i++) {
      const res = await client(proxy).models.generateContent({ model: MODEL, contents: `x ${i}` });
      expect(res.text).toContain(`x ${i}`);
    }
    const status = await credentialStatus(proxy, `key...${KEY_B.slice(-5)}`);
    expect(status.state).toBe('disabled');
    expect(status.disabled?.reason).toBe('ACCESS_TOKEN_TYPE_UNSUPPORTED');
  });

  it('uploads a file larger than BODY_LIMIT through a resumable session of one credential', async () => {
    const uploaded = await client(proxy).files.upload({
      file: file('big.bin', 9 * 1024 * 1024),
      config: { mimeType: 'application/octet-stream', displayName: 'big' },
    });
    expect(uploaded.name).toMatch(/^files\//);
    expect(uploaded.sizeBytes).toBe(String(9 * 1024 * 1024));
    expect(uploaded.displayName).toBe('big');
    // Two 8 MB chunks after the start, all on the credential that started the session.
    expect(uploadsBy()).toHaveLength(3);
    expect(new Set(uploadsBy()).size).toBe(1);
  });

  it("hands back an upload URL on the proxy, never Google's, and finishes the session there", async () => {
    const start = await fetch(`${proxy.url}/upload/v1beta/files`, {
      method: 'POST',
      headers: {
        'x-goog-api-key': TEST_PASSWORD,
        'content-type': 'application/json',
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'x-goog-upload-header-content-length': '5',
        'x-goog-upload-header-content-type': 'text/plain',
      },
      body: '{"file":{"display_name":"hand"}}',
    });
    expect(start.status).toBe(200);
    const uploadUrl = start.headers.get('x-goog-upload-url')!;
    expect(uploadUrl.startsWith(`${proxy.url}/upload/v1beta/files?upload_id=`)).toBe(true);
    expect(uploadUrl).not.toContain(fake.url);
    expect(start.headers.get('x-goog-upload-status')).toBe('active');
    const done = await fetch(uploadUrl, {
      method: 'POST',
      headers: {
        'x-goog-api-key': TEST_PASSWORD,
        'x-goog-upload-command': 'upload, finalize',
        'x-goog-upload-offset': '0',
      },
      body: 'hello',
    });
    expect(done.status).toBe(200);
    expect(done.headers.get('x-goog-upload-status')).toBe('final');
    const { file: made } = (await done.json()) as {
      file: { displayName: string; sizeBytes: string };
    };
    expect(made).toMatchObject({ displayName: 'hand', sizeBytes: '5' });
  });

  it('uploads a multipart body and a media body in one streamed call each', async () => {
    const boundary = 'b0undary';
    const multipart = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-type: application/json\r\n\r\n{"file":{"displayName":"notes"}}\r\n`,
      ),
      Buffer.from(`--${boundary}\r\ncontent-type: text/plain\r\n\r\n`),
      Buffer.alloc(100_000, 'x'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${proxy.url}/upload/v1beta/files?uploadType=multipart`, {
      method: 'POST',
      headers: {
        'x-goog-api-key': TEST_PASSWORD,
        'content-type': `multipart/related; boundary=${boundary}`,
      },
      body: multipart,
    });
    expect(res.status).toBe(200);
    const { file: made } = (await res.json()) as {
      file: { name: string; sizeBytes: string; displayName: string };
    };
    expect(made).toMatchObject({ sizeBytes: '100000', displayName: 'notes' });
    const media = await fetch(`${proxy.url}/upload/v1beta/files?uploadType=media`, {
      method: 'POST',
      headers: { 'x-goog-api-key': TEST_PASSWORD, 'content-type': 'audio/wav' },
      body: Buffer.alloc(200_000, 1),
    });
    expect(media.status).toBe(200);
    expect(((await media.json()) as { file: { sizeBytes: string } }).file.sizeBytes).toBe('200000');
  });

  it('refuses an upload without the password before reading its bytes or calling Google', async () => {
    const res = await fetch(`${proxy.url}/upload/v1beta/files?uploadType=media`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(100_000, 1),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe(
      'UNAUTHENTICATED',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a file past FILES_MAX_BYTES at the start, before Google hears of it', async () => {
    const res = await fetch(`${proxy.url}/upload/v1beta/files`, {
      method: 'POST',
      headers: {
        'x-goog-api-key': TEST_PASSWORD,
        'content-type': 'application/json',
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'x-goog-upload-header-content-length': String(13 * 1024 * 1024),
        'x-goog-upload-header-content-type': 'video/mp4',
      },
      body: '{"file":{"display_name":"too big"}}',
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /FILES_MAX_BYTES/,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('cuts a media upload that streams past FILES_MAX_BYTES with a 413', async () => {
    const filesBefore = fake.resources.files.size;
    const chunk = Buffer.alloc(1024 * 1024, 3);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 13; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${proxy.url}/upload/v1beta/files?uploadType=media`, {
      method: 'POST',
      headers: { 'x-goog-api-key': TEST_PASSWORD, 'content-type': 'video/mp4' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    // Google's side of the call was abandoned, and no file came of it.
    await fake.waitForAbort((r) => r.action === 'uploadFile');
    expect(fake.resources.files.size).toBe(filesBefore);
    // The client's oversized body is no fault of the credential that carried it.
    const pool = await poolStatus(proxy);
    expect(pool.credentials.flatMap((c) => c.cooldowns)).toEqual([]);
  });

  it('answers 404 for an upload session it never started', async () => {
    const res = await fetch(
      `${proxy.url}/upload/v1beta/files?upload_id=nope&upload_protocol=resumable`,
      {
        method: 'POST',
        headers: {
          'x-goog-api-key': TEST_PASSWORD,
          'x-goog-upload-command': 'upload, finalize',
          'x-goog-upload-offset': '0',
        },
        body: 'abc',
      },
    );
    expect(res.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
  });

  it('gets, lists and deletes a file on the credential that owns it', async () => {
    const ai = client(proxy);
    const uploaded = await ai.files.upload({
      file: file('a.txt', 100),
      config: { mimeType: 'text/plain' },
    });
    const got = await ai.files.get({ name: uploaded.name! });
    expect(got.sizeBytes).toBe('100');
    const names: string[] = [];
    for await (const f of await ai.files.list({ config: { pageSize: 2 } })) names.push(f.name!);
    expect(names).toContain(uploaded.name);
    await ai.files.delete({ name: uploaded.name! });
    await expect(ai.files.get({ name: uploaded.name! })).rejects.toThrow(/403|permission/i);
  });

  it('generates with a file six times on its owner while other calls rotate', async () => {
    const ai = client(proxy);
    const uploaded = await ai.files.upload({
      file: file('doc.txt', 50),
      config: { mimeType: 'text/plain' },
    });
    const owner = fake.resources.files.get(uploaded.name!)!.owner;
    fake.reset();
    for (let i = 0; i < 6; i++) {
      await ai.models.generateContent({
        model: MODEL,
        contents: [
          {
            role: 'user',
            parts: [
              { fileData: { fileUri: uploaded.uri!, mimeType: 'text/plain' } },
              { text: `q${i}` },
            ],
          },
        ],
      });
      await ai.models.generateContent({ model: MODEL, contents: `plain ${i}` });
    }
    const calls = fake.requests.filter((r) => r.action === 'generateContent');
    const withFile = calls.filter((r) => JSON.stringify(r.body).includes('fileData'));
    expect(withFile.map((r) => r.credential)).toEqual(Array(6).fill(owner));
    const plain = calls.filter((r) => !JSON.stringify(r.body).includes('fileData'));
    expect(new Set(plain.map((r) => r.credential)).size).toBeGreaterThan(1);
  });

  it('sends OpenAI chat and Responses file parts naming the file to its owner', async () => {
    const uploaded = await client(proxy).files.upload({
      file: file('openai.pdf', 30),
      config: { mimeType: 'application/pdf' },
    });
    const owner = fake.resources.files.get(uploaded.name!)!.owner;
    fake.reset();
    const headers = {
      authorization: `Bearer ${TEST_PASSWORD}`,
      'content-type': 'application/json',
    };
    for (let i = 0; i < 3; i++) {
      const chat = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: MODEL,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: `summarise ${i}` },
                { type: 'file', file: { file_id: uploaded.name, filename: 'openai.pdf' } },
              ],
            },
          ],
        }),
      });
      expect(chat.status).toBe(200);
      const responses = await fetch(`${proxy.url}/v1/responses`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: MODEL,
          input: [
            {
              role: 'user',
              content: [
                { type: 'input_text', text: `again ${i}` },
                {
                  type: 'input_file',
                  file_id: `https://generativelanguage.googleapis.com/v1beta/${uploaded.name}`,
                },
              ],
            },
          ],
        }),
      });
      expect(responses.status).toBe(200);
    }
    const calls = fake.requests.filter((r) => r.action === 'generateContent');
    expect(calls).toHaveLength(6);
    expect(calls.map((r) => r.credential)).toEqual(Array(6).fill(owner));
  });

  it("answers the owner's 429 with Retry-After while it cools, and never tries another key", async () => {
    const ai = client(proxy);
    const uploaded = await ai.files.upload({
      file: file('cool.txt', 10),
      config: { mimeType: 'text/plain' },
    });
    const owner = fake.resources.files.get(uploaded.name!)!.owner;
    fake.reset();
    fake.failNext(rateLimited(30), { credential: owner });
    const body = JSON.stringify({
      contents: [{ role: 'user', parts: [{ fileData: { fileUri: uploaded.uri } }] }],
    });
    const url = `${proxy.url}/v1beta/models/${MODEL}:generateContent`;
    const headers = { 'x-goog-api-key': TEST_PASSWORD, 'content-type': 'application/json' };
    const first = await fetch(url, { method: 'POST', headers, body });
    expect(first.status).toBe(429);
    const second = await fetch(url, { method: 'POST', headers, body });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await second.json()) as { error: { status: string } }).error.status).toBe(
      'RESOURCE_EXHAUSTED',
    );
    expect(
      fake.requests.filter((r) => r.action === 'generateContent').map((r) => r.credential),
    ).toEqual([owner]);
  });

  it('creates a cache and generates with it on its owner', async () => {
    const ai = client(proxy);
    const uploaded = await ai.files.upload({
      file: file('ctx.txt', 20),
      config: { mimeType: 'text/plain' },
    });
    const owner = fake.resources.files.get(uploaded.name!)!.owner;
    const cache = await ai.caches.create({
      model: MODEL,
      config: {
        contents: [
          {
            role: 'user',
            parts: [{ fileData: { fileUri: uploaded.uri!, mimeType: 'text/plain' } }],
          },
        ],
        ttl: '600s',
      },
    });
    expect(cache.name).toMatch(/^cachedContents\//);
    expect(fake.resources.caches.get(cache.name!)!.owner).toBe(owner);
    for (let i = 0; i < 3; i++) {
      const res = await ai.models.generateContent({
        model: MODEL,
        contents: 'from cache',
        config: { cachedContent: cache.name },
      });
      expect(res.text).toContain('from cache');
    }
    const updated = await ai.caches.update({ name: cache.name!, config: { ttl: '1200s' } });
    expect(updated.name).toBe(cache.name);
    const listed: string[] = [];
    for await (const c of await ai.caches.list()) listed.push(c.name!);
    expect(listed).toContain(cache.name);
    await ai.caches.delete({ name: cache.name! });
  });

  it('submits a batch and reads it back from its owner', async () => {
    const ai = client(proxy);
    const job = await ai.batches.create({
      model: MODEL,
      src: [{ contents: [{ role: 'user', parts: [{ text: 'one' }] }] }],
      config: { displayName: 'nightly' },
    });
    expect(job.name).toMatch(/^batches\//);
    const owner = fake.resources.batches.get(job.name!)!.owner;
    fake.reset();
    const again = await ai.batches.get({ name: job.name! });
    expect(again.state).toBe('JOB_STATE_SUCCEEDED');
    expect(
      fake.requests.filter((r) => r.action === 'get:batches').map((r) => r.credential),
    ).toEqual([owner]);
    const listed: string[] = [];
    for await (const b of await ai.batches.list()) listed.push(b.name!);
    expect(listed).toContain(job.name);
    await ai.batches.cancel({ name: job.name! });
    expect(
      fake.requests.filter((r) => r.action === 'cancel:batches').map((r) => r.credential),
    ).toEqual([owner]);
  });

  it('continues an interaction on its owner, streamed and not', async () => {
    const ai = client(proxy);
    const first = await ai.interactions.create({ model: MODEL, input: 'hello' });
    const owner = fake.resources.interactions.get(`interactions/${first.id}`)!.owner;
    const second = await ai.interactions.create({
      model: MODEL,
      input: 'again',
      previous_interaction_id: first.id,
    });
    expect(JSON.stringify(second.steps)).toContain('turn 2');
    const stream = await ai.interactions.create({
      model: MODEL,
      input: 'more',
      previous_interaction_id: second.id,
      stream: true,
    });
    let text = '';
    let streamedId: string | undefined;
    for await (const event of stream) {
      if (event.event_type === 'step.delta' && event.delta.type === 'text')
        text += event.delta.text;
      if (event.event_type === 'interaction.created') streamedId = event.interaction.id;
    }
    expect(text).toContain('turn 3');
    const fourth = await ai.interactions.create({
      model: MODEL,
      input: 'last',
      previous_interaction_id: streamedId,
    });
    expect(JSON.stringify(fourth.steps)).toContain('turn 4');
    const creators = fake.requests
      .filter((r) => r.action === 'createInteraction')
      .map((r) => r.credential);
    expect(creators).toEqual([owner, owner, owner, owner]);
    await ai.interactions.delete(first.id);
  });
});

describe('resource ownership shared by two replicas on one Redis', () => {
  let fake: FakeGoogle;
  let redis: RedisServer;
  let one: RunningProxy;
  let two: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    for (const key of [KEY_A, KEY_B, KEY_C]) fake.addApiKey(key);
    redis = await RedisServer.start();
    const env = {
      ...fake.env(),
      GEMINI_API_KEYS: `${KEY_A},${KEY_B},${KEY_C}`,
      REDIS_URL: redis.url,
    };
    one = await startTestProxy({ ...env, REPLICA_ID: 'one' });
    two = await startTestProxy({ ...env, REPLICA_ID: 'two' });
  });

  afterAll(async () => {
    await one.close();
    await two.close();
    await redis.stop();
    await fake.close();
  });

  it('serves a file uploaded through one replica from the same credential through the other', async () => {
    const uploaded = await client(one).files.upload({
      file: new Blob(['shared bytes'], { type: 'text/plain' }),
      config: { mimeType: 'text/plain' },
    });
    const owner = fake.resources.files.get(uploaded.name!)!.owner;
    fake.reset();
    for (let i = 0; i < 3; i++) {
      await client(two).models.generateContent({
        model: MODEL,
        contents: [
          {
            role: 'user',
            parts: [{ fileData: { fileUri: uploaded.uri!, mimeType: 'text/plain' } }],
          },
        ],
      });
    }
    expect(
      fake.requests.filter((r) => r.action === 'generateContent').map((r) => r.credential),
    ).toEqual([owner, owner, owner]);
  });

  it('answers a 404 that says why when the owner has left the pool', async () => {
    const uploaded = await client(one).files.upload({
      file: new Blob(['orphan'], { type: 'text/plain' }),
      config: { mimeType: 'text/plain' },
    });
    const owner = fake.resources.files.get(uploaded.name!)!.owner;
    const others = [KEY_A, KEY_B, KEY_C].filter((k) => k !== owner);
    const three = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: others.join(','),
      REDIS_URL: redis.url,
      REPLICA_ID: 'three',
    });
    try {
      fake.reset();
      const res = await fetch(`${three.url}/v1beta/models/${MODEL}:generateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': TEST_PASSWORD, 'content-type': 'application/json' },
        body: JSON.stringify({
          contents: [{ role: 'user', parts: [{ fileData: { fileUri: uploaded.uri } }] }],
        }),
      });
      expect(res.status).toBe(404);
      const { error } = (await res.json()) as { error: { status: string; message: string } };
      expect(error.status).toBe('NOT_FOUND');
      expect(error.message).toMatch(/no longer in the pool/);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await three.close();
    }
  });
});

describe('a pool with no credential that has the resource APIs', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addOAuthAccount({
      email: 'ada@example.com',
      refreshToken: 'rt-ada-0000011111',
      projectId: 'proj-ada',
    });
    proxy = await startTestProxy({
      ...fake.env(),
      CREDENTIALS_JSON_LIST: JSON.stringify([
        {
          client_id: 'cid',
          client_secret: 'secret',
          refresh_token: 'rt-ada-0000011111',
          project_id: 'proj-ada',
        },
      ]),
    });
  });

  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  it("answers in Google's shape that files need a Gemini API key", async () => {
    const res = await fetch(`${proxy.url}/v1beta/files`, {
      headers: { 'x-goog-api-key': TEST_PASSWORD },
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { status: string; message: string } };
    expect(error.status).toBe('FAILED_PRECONDITION');
    expect(error.message).toMatch(/Gemini API key/);
    expect(fake.requests.filter((r) => r.api === 'gemini')).toHaveLength(0);
  });
});
