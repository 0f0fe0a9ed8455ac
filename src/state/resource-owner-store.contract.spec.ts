import { RedisServer } from '../../test/support/redis-server';
import { waitFor } from '../../test/support/wait';
import { InMemoryResourceOwnerStore, ResourceOwnerStore } from '../files/resource-owner-store';
import { RedisConnection } from '../redis/redis-connection';
import { RedisResourceOwnerStore } from './redis-resource-owner-store';

let redis: RedisServer;
const connections: RedisConnection[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await redis.stop();
});

async function connection(replicaId: string, keyPrefix: string): Promise<RedisConnection> {
  const c = new RedisConnection({ url: redis.url, keyPrefix, replicaId });
  connections.push(c);
  await waitFor(() => c.isUp, 5_000, 'the connection');
  return c;
}

const local = (now = Date.now) => new InMemoryResourceOwnerStore({ maxEntries: 3, now });

describe.each([
  ['in memory', () => Promise.resolve<ResourceOwnerStore>(local())],
  [
    'in Redis',
    async (): Promise<ResourceOwnerStore> =>
      new RedisResourceOwnerStore(await connection('a', `owners${++prefixes}:`), local()),
  ],
])('the resource owner store %s', (_name, make) => {
  it('answers the owner recorded for a name', async () => {
    const store = await make();
    await store.put('files/abc', { owner: 'api-key-1' }, 60_000);
    expect(await store.get('files/abc')).toEqual({ owner: 'api-key-1' });
  });

  it('keeps an upload session URL with its owner', async () => {
    const store = await make();
    await store.put(
      'uploads/s1',
      { owner: 'k', uploadUrl: 'https://example/u?upload_id=1' },
      60_000,
    );
    expect((await store.get('uploads/s1'))?.uploadUrl).toBe('https://example/u?upload_id=1');
  });

  it('forgets a deleted name', async () => {
    const store = await make();
    await store.put('cachedContents/x', { owner: 'k' }, 60_000);
    await store.delete('cachedContents/x');
    expect(await store.get('cachedContents/x')).toBeUndefined();
  });
});

describe('the in-memory resource owner store', () => {
  it("forgets a record at Google's expiry", async () => {
    let now = 1_000;
    const store = local(() => now);
    await store.put('files/abc', { owner: 'k' }, 48 * 3_600_000);
    now += 48 * 3_600_000 - 1;
    expect(await store.get('files/abc')).toBeDefined();
    now += 1;
    expect(await store.get('files/abc')).toBeUndefined();
  });

  it('drops the oldest record past its bound', async () => {
    const store = local();
    for (const id of ['a', 'b', 'c', 'd']) await store.put(`files/${id}`, { owner: 'k' }, 60_000);
    expect(await store.get('files/a')).toBeUndefined();
    expect(await store.get('files/d')).toBeDefined();
  });
});

describe('the Redis resource owner store', () => {
  it('shares a record between two replicas', async () => {
    const prefix = `owners${++prefixes}:`;
    const one = new RedisResourceOwnerStore(await connection('a', prefix), local());
    const two = new RedisResourceOwnerStore(await connection('b', prefix), local());
    await one.put('batches/123', { owner: 'api-key-2' }, 60_000);
    expect(await two.get('batches/123')).toEqual({ owner: 'api-key-2' });
  });

  it('lets Redis expire a record with the TTL it was given', async () => {
    const c = await connection('a', `owners${++prefixes}:`);
    const store = new RedisResourceOwnerStore(c, local());
    await store.put('files/short', { owner: 'k' }, 60_000);
    const ttl = await c.client.pttl(c.key('owner:files/short'));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
