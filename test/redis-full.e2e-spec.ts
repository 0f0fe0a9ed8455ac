import { Redis } from 'ioredis';
import { FakeGoogle } from './fake-google/fake-google';
import { rateLimited } from './fake-google/google-errors';
import { JSON_AUTH, userTurn } from './support/pool-harness';
import { ProxyProcess } from './support/proxy-process';
import { RedisServer } from './support/redis-server';
import { waitFor } from './support/wait';

const KEY = 'AIzaRedisFullKeyAAAAAAAAAAAAAAAAAAAfull1';

function generate(proxy: ProxyProcess, text: string): Promise<Response> {
  return fetch(`${proxy.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify(userTurn(text)),
  });
}

/** How many HGETALL Redis has run: each resync of the pool reads every credential's cooldowns. */
async function hgetallCalls(admin: Redis): Promise<number> {
  const stats = await admin.info('commandstats');
  return Number(/cmdstat_hgetall:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe('a replica whose Redis is full (maxmemory reached, noeviction)', () => {
  let redis: RedisServer;
  let admin: Redis;
  let fake: FakeGoogle;
  let proxy: ProxyProcess;

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = new Redis(redis.url);
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await ProxyProcess.start({ ...fake.env(), REDIS_URL: redis.url, GEMINI_API_KEYS: KEY });
    await waitFor(() => proxy.output.includes('Connected to Redis'), 5_000, 'Redis');
  });

  afterAll(async () => {
    await proxy?.stop();
    admin?.disconnect();
    await fake?.close();
    await redis?.stop();
  });

  it('keeps honouring Google’s 30 s rate limit after the resyncs that follow', async () => {
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    fake.failNext(rateLimited(30));
    expect((await generate(proxy, 'first')).status).toBe(429);
    expect(await admin.hgetall('gemini-proxy:pool:cd:key...full1')).toEqual({});
    // Two resyncs, whatever the load: the replica re-read the shared state it could not write to.
    const before = await hgetallCalls(admin);
    await waitFor(async () => (await hgetallCalls(admin)) >= before + 4, 20_000, 'two resyncs');
    expect((await generate(proxy, 'second')).status).toBe(429);
    expect(fake.requests.filter((r) => r.action === 'generateContent')).toHaveLength(1);
  });
});
