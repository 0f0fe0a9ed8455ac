import { Redis } from 'ioredis';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGoogle } from './fake-google/fake-google';
import { Body, modelCallsTo } from './support/model-calls';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';
import { RedisServer } from './support/redis-server';
import { waitFor } from './support/wait';

const KEY = 'AIzaStoreKeyAAAAAAAAAAAAAAAAAAAAAAAAstore';
const AUTH = { authorization: `Bearer ${TEST_PASSWORD}` };

interface Answer {
  status: number;
  body: Body;
}

async function post(proxy: RunningProxy, body: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${proxy.url}/v1/responses`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gemini-2.5-flash', ...body }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

async function retrieve(proxy: RunningProxy, id: string): Promise<number> {
  return (await fetch(`${proxy.url}/v1/responses/${id}`, { headers: AUTH })).status;
}

async function adminStatus(proxy: RunningProxy): Promise<Body> {
  return (await (await fetch(`${proxy.url}/admin/credentials`, { headers: AUTH })).json()) as Body;
}

/** Every text Google was sent in the last model call, turn by turn. */
function textsSent(fake: FakeGoogle): string[] {
  const calls = modelCallsTo(fake);
  const contents = calls[calls.length - 1].body.contents as { parts: { text?: string }[] }[];
  return contents.flatMap((c) => c.parts.flatMap((p) => (p.text === undefined ? [] : [p.text])));
}

/** A chain of `turns` stored responses, each a question of `size` characters. */
async function chain(proxy: RunningProxy, turns: number, size: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= turns; n++) {
    const { status, body } = await post(proxy, {
      input: `${n}:${'q'.repeat(size)}`,
      previous_response_id: ids[ids.length - 1],
    });
    expect(status).toBe(200);
    ids.push(body.id as string);
  }
  return ids;
}

describe('the Responses store in memory', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let images: Server;
  let imageHits = 0;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      RESPONSES_STORE_MAX_BYTES: '64mb',
      MEDIA_FETCH_ALLOW_PRIVATE: 'true',
    });
    images = createServer((_req, res) => {
      imageHits++;
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('a picture'));
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
    await new Promise((resolve) => images?.close(resolve));
  });

  beforeEach(() => fake.reset());

  it('stores each turn once: the store grows by the same bytes at turn 150 as at turn 2', async () => {
    const grown: number[] = [];
    let before = (await adminStatus(proxy)).responseStore.bytes as number;
    const ids: string[] = [];
    for (let n = 1; n <= 150; n++) {
      const { body } = await post(proxy, {
        input: `${n}:${'q'.repeat(500)}`,
        previous_response_id: ids[ids.length - 1],
      });
      ids.push(body.id as string);
      const after = (await adminStatus(proxy)).responseStore.bytes as number;
      grown.push(after - before);
      before = after;
    }
    expect(Math.abs(grown[149] - grown[1])).toBeLessThan(32);
    // Google still sees the whole conversation, rebuilt from the links.
    const texts = textsSent(fake);
    expect(texts.filter((t) => t.startsWith('1:') || t.startsWith('150:'))).toHaveLength(2);
    expect(texts.length).toBeGreaterThanOrEqual(150);
  });

  it('refuses item_reference past 1,000 per request with a 400 naming the limit', async () => {
    const input = Array.from({ length: 1_001 }, () => ({ type: 'item_reference', id: 'msg_x' }));
    const { status, body } = await post(proxy, { input });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/at most 1000/);
  });

  it('resolves an item_reference to the item first stored under its id, not a later reuse of the id', async () => {
    const own = (text: string) => [{ type: 'message', id: 'my_item', role: 'user', content: text }];
    const first = await post(proxy, { input: own('from the first response') });
    const second = await post(proxy, { input: own('from the second response') });
    expect([first.status, second.status]).toEqual([200, 200]);

    fake.reset();
    const elsewhere = await post(proxy, { input: [{ type: 'item_reference', id: 'my_item' }] });
    expect(elsewhere.status).toBe(200);
    expect(textsSent(fake)).toEqual(['from the first response']);

    // Within a conversation, the reference means that conversation's own item.
    fake.reset();
    const continued = await post(proxy, {
      previous_response_id: second.body.id,
      input: [{ type: 'item_reference', id: 'my_item' }],
    });
    expect(continued.status).toBe(200);
    expect(textsSent(fake)).not.toContain('from the first response');
  });

  it('sends an earlier turn’s image again from the store, without fetching its URL again', async () => {
    const url = `http://127.0.0.1:${(images.address() as AddressInfo).port}/cat.png`;
    imageHits = 0;
    const first = await post(proxy, {
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'what is this?' },
            { type: 'input_image', image_url: url },
          ],
        },
      ],
    });
    expect(first.status).toBe(200);
    expect(imageHits).toBe(1);
    fake.reset();
    const second = await post(proxy, { previous_response_id: first.body.id, input: 'and now?' });
    expect(second.status).toBe(200);
    expect(imageHits).toBe(1);
    const calls = modelCallsTo(fake);
    const parts = (calls[0].body.contents as { parts: Body[] }[]).flatMap((c) => c.parts);
    expect(parts).toContainEqual({
      inlineData: { mimeType: 'image/png', data: Buffer.from('a picture').toString('base64') },
    });
  });
});

describe('the Responses store bounded by RESPONSES_STORE_MAX_BYTES', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      RESPONSES_STORE_MAX_BYTES: '3mb',
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  it('drops the oldest responses past the bound and says on /admin what it holds', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { status, body } = await post(proxy, { input: `${i}:${'x'.repeat(1024 ** 2)}` });
      expect(status).toBe(200);
      ids.push(body.id as string);
    }
    expect(await retrieve(proxy, ids[0])).toBe(404);
    expect(await retrieve(proxy, ids[7])).toBe(200);
    const { responseStore } = await adminStatus(proxy);
    expect(responseStore.maxBytes).toBe(3 * 1024 ** 2);
    expect(responseStore.bytes).toBeLessThanOrEqual(3 * 1024 ** 2);
    expect(responseStore.entries).toBeGreaterThanOrEqual(1);
    expect(responseStore.entries).toBeLessThan(3);
    const page = await (
      await fetch(`${proxy.url}/admin`, { headers: { ...AUTH, accept: 'text/html' } })
    ).text();
    expect(page).toMatch(/\d stored responses?, [\d.]+ MB of 3\.0 MB/);
  });
});

describe('the Responses store with Redis', () => {
  let redis: RedisServer;
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let client: Redis;
  const prefix = 'store-e2e:';

  beforeAll(async () => {
    redis = await RedisServer.start();
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      RESPONSES_STORE_MAX_BYTES: '64mb',
    });
    client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
  });

  afterAll(async () => {
    client?.disconnect();
    await proxy?.close();
    await fake?.close();
    await redis?.stop();
  });

  const sharing = () =>
    waitFor(
      async () => (await adminStatus(proxy)).replica.sharedState === 'redis',
      15_000,
      'the proxy to reach Redis',
    );

  beforeEach(async () => {
    fake.reset();
    await sharing();
  });

  it('keeps each turn’s record the size of that turn: turn 100 is no larger than turn 2', async () => {
    const ids = await chain(proxy, 100, 500);
    const [second, last] = await Promise.all(
      [ids[1], ids[99]].map((id) => client.strlen(`${prefix}resp:${id}`)),
    );
    expect(second).toBeGreaterThan(500);
    expect(Math.abs(last - second)).toBeLessThan(32);
    expect(textsSent(fake).filter((t) => t.startsWith('1:'))).toHaveLength(1);
  });

  it('resolves 1,000 item references among 100,000 stored items in seconds, /health answering meanwhile', async () => {
    const input = Array.from({ length: 100_000 }, (_, i) => ({
      type: 'message',
      id: `msg_many_${i}`,
      role: 'user',
      content: 'x',
    }));
    expect((await post(proxy, { input })).status).toBe(200);
    const references = Array.from({ length: 1_000 }, (_, i) => ({
      type: 'item_reference',
      id: `msg_many_${i * 97}`,
    }));
    const started = Date.now();
    let slowestHealth = 0;
    const answer = post(proxy, { input: references });
    let done = false;
    void answer.finally(() => (done = true));
    while (!done) {
      const asked = Date.now();
      await fetch(`${proxy.url}/health`);
      slowestHealth = Math.max(slowestHealth, Date.now() - asked);
    }
    expect((await answer).status).toBe(200);
    // Resolved one reference at a time, each reading the whole 100,000-item record, this took
    // 5.6-8.3 s here with /health held up to 7 s; resolved in one pass, under a second.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(slowestHealth).toBeLessThan(2_500);
  });

  it('serves its stored responses while Redis is full (maxmemory, noeviction), and counts the refusals', async () => {
    await client.config('SET', 'maxmemory-policy', 'noeviction');
    await client.config('SET', 'maxmemory', '1');
    try {
      const first = await post(proxy, { input: 'one' });
      const second = await post(proxy, { input: 'two', previous_response_id: first.body.id });
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(await client.exists(`${prefix}resp:${first.body.id}`)).toBe(0);
      expect(await retrieve(proxy, first.body.id as string)).toBe(200);
      fake.reset();
      const third = await post(proxy, { input: 'three', previous_response_id: second.body.id });
      expect(third.status).toBe(200);
      expect(textsSent(fake).filter((t) => ['one', 'two', 'three'].includes(t))).toEqual([
        'one',
        'two',
        'three',
      ]);
      const metrics = await (await fetch(`${proxy.url}/metrics`, { headers: AUTH })).text();
      const failures = /redis_write_failures_total\{store="responses"\} (\d+)/.exec(metrics);
      expect(Number(failures?.[1])).toBeGreaterThanOrEqual(3);
      expect((await adminStatus(proxy)).responseStore.unshared).toBeGreaterThanOrEqual(3);
    } finally {
      await client.config('SET', 'maxmemory', '0');
    }
  });

  it('serves what it stored while Redis was down, also after Redis comes back empty', async () => {
    await redis.stop();
    await waitFor(
      async () => (await adminStatus(proxy)).replica.sharedState === 'redis-unreachable',
      10_000,
      'the proxy to notice',
    );
    const during = await post(proxy, { input: 'stored during the outage' });
    expect(during.status).toBe(200);
    expect(await retrieve(proxy, during.body.id as string)).toBe(200);
    await redis.restart();
    await client.connect().catch(() => undefined);
    await sharing();
    expect(await retrieve(proxy, during.body.id as string)).toBe(200);
    // Offered to Redis again once it is back, for the other replicas.
    await waitFor(
      async () => (await client.exists(`${prefix}resp:${during.body.id}`)) === 1,
      10_000,
      'the response to reach Redis',
    );
  });
});
