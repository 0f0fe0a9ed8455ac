import { RedisServer } from '../../test/support/redis-server';
import { waitFor } from '../../test/support/wait';
import { RedisConnection } from '../redis/redis-connection';
import { windowsAt } from '../quota/quota-router';
import { InMemoryQuotaStore, QuotaStore } from '../quota/quota-store';
import { RedisQuotaStore } from './redis-quota-store';

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

/** Two replicas' views of one store (the same object in memory). */
async function pairOf(kind: 'memory' | 'redis'): Promise<[QuotaStore, QuotaStore]> {
  if (kind === 'memory') {
    const store = new InMemoryQuotaStore();
    return [store, store];
  }
  const keyPrefix = `quota${++prefixes}:`;
  const pair = ['a', 'b'].map(
    (replicaId) => new RedisConnection({ url: redis.url, keyPrefix, replicaId }),
  );
  connections.push(...pair);
  await waitFor(() => pair.every((c) => c.isUp), 5_000, 'both connections');
  return [new RedisQuotaStore(pair[0], 100), new RedisQuotaStore(pair[1], 100)];
}

const NOW = Date.parse('2026-12-07T20:00:10Z');
const windows = windowsAt(NOW);
const key = { subject: 'c:key...aaaaa', model: 'gemini-2.5-flash' };

describe.each(['memory', 'redis'] as const)('QuotaStore (%s)', (kind) => {
  it('never lets two replicas take more than a window holds, even all at once', async () => {
    const [a, b] = await pairOf(kind);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).reserve(key, windows, { rpm: 5 }, 10, NOW),
      ),
    );
    expect(answers.filter((r) => r.ok)).toHaveLength(5);
    expect(answers.find((r) => !r.ok)).toEqual({
      ok: false,
      limit: 'rpm',
      value: 5,
      reopensAt: windows.minute.end,
    });
  });

  it('applies a limit one replica learned on the other', async () => {
    const [a, b] = await pairOf(kind);
    await a.learn(key, { rpd: 2 });
    expect(await b.learned(key)).toEqual({ rpd: 2 });
    expect((await b.reserve(key, windows, {}, 1, NOW)).ok).toBe(true);
    expect((await a.reserve(key, windows, {}, 1, NOW)).ok).toBe(true);
    expect(await b.reserve(key, windows, {}, 1, NOW)).toMatchObject({ ok: false, limit: 'rpd' });
  });

  it('starts each minute empty and keeps the day', async () => {
    const [a] = await pairOf(kind);
    for (let i = 0; i < 3; i++) await a.reserve(key, windows, { rpm: 3 }, 100, NOW);
    expect((await a.reserve(key, windows, { rpm: 3 }, 100, NOW)).ok).toBe(false);
    const next = windowsAt(NOW + 60_000);
    expect((await a.reserve(key, next, { rpm: 3 }, 100, NOW + 60_000)).ok).toBe(true);
    const [entry] = await a.list(next, 10);
    expect(entry.counts.minute).toMatchObject({ requests: 1, tokens: 100 });
    expect(entry.counts.day).toMatchObject({ requests: 4, tokens: 400 });
  });

  it("uncounts a refused request and replaces the estimate with Google's count", async () => {
    const [a, b] = await pairOf(kind);
    await a.reserve(key, windows, {}, 100, NOW);
    await a.reserve(key, windows, {}, 100, NOW);
    await a.release(key, windows, 100);
    await a.addTokens(key, windows, -40);
    const [entry] = await b.list(windows, 10);
    expect(entry).toMatchObject({ ...key, counts: { minute: { requests: 1, tokens: 60 } } });
  });

  it('keeps tokens from overflowing the minute', async () => {
    const [a] = await pairOf(kind);
    expect((await a.reserve(key, windows, { tpm: 1000 }, 800, NOW)).ok).toBe(true);
    expect(await a.reserve(key, windows, { tpm: 1000 }, 300, NOW)).toMatchObject({
      ok: false,
      limit: 'tpm',
    });
    expect((await a.reserve(key, windows, { tpm: 1000 }, 200, NOW)).ok).toBe(true);
  });
});
