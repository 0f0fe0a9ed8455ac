import { ConsoleLogger, Logger } from '@nestjs/common';
import { RedisServer } from '../../test/support/redis-server';
import { waitFor } from '../../test/support/wait';
import {
  ALL_MODELS,
  CooldownEntry,
  InMemoryPoolStateStore,
  PoolStateStore,
} from '../credentials/pool-state-store';
import { RedisConnection } from '../redis/redis-connection';
import { RedisPoolStateStore } from './redis-pool-state-store';

let redis: RedisServer;
const connections: RedisConnection[] = [];
const stores: RedisPoolStateStore[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  for (const s of stores) s.close();
  await Promise.all(connections.map((c) => c.close()));
  await redis.stop();
});

async function connect(prefix: string, replicaId = 'replica'): Promise<RedisConnection> {
  const connection = new RedisConnection({ url: redis.url, keyPrefix: prefix, replicaId });
  connections.push(connection);
  await waitFor(() => connection.isUp, 5_000, 'the connection');
  return connection;
}

async function redisReplicas(n: number): Promise<RedisPoolStateStore[]> {
  const prefix = `test${++prefixes}:`;
  const out: RedisPoolStateStore[] = [];
  for (let i = 0; i < n; i++) {
    const store = new RedisPoolStateStore(await connect(prefix, `r${i}`));
    stores.push(store);
    out.push(store);
  }
  // Every replica's subscriptions reach Redis before anything is published (a fixed pause is
  // too short on a busy machine, and a missed event only comes back with the 5 s resync).
  const channels = ['pool:events', 'pool:cursor-events'].map((name) => `${prefix}${name}`);
  const client = connections[connections.length - 1].client;
  await waitFor(
    async () => {
      const counts = (await client.call('PUBSUB', 'NUMSUB', ...channels)) as unknown[];
      return counts.filter((_, i) => i % 2 === 1).every((count) => Number(count) === n);
    },
    5_000,
    'the subscriptions',
  );
  return out;
}

const limit = (until: number, strikes = 1): CooldownEntry => ({
  until,
  reason: 'RATE_LIMIT_EXCEEDED',
  strikes,
  kind: 'rate-limit',
});

/** One contract, two implementations: what CredentialPool relies on from any store. */
describe.each([
  ['in memory', () => Promise.resolve<PoolStateStore>(new InMemoryPoolStateStore())],
  ['in Redis', async (): Promise<PoolStateStore> => (await redisReplicas(1))[0]],
])('PoolStateStore %s', (_name, make) => {
  let store: PoolStateStore;
  beforeEach(async () => {
    store = await make();
  });

  it('hands out a different cursor value on each call', () => {
    const values = Array.from({ length: 5 }, () => store.nextCursor());
    expect(new Set(values).size).toBe(5);
  });

  it('returns a cooldown as written, per model, until it is cleared', () => {
    store.setCooldown('a', 'gemini-2.5-pro', limit(5_000));
    expect(store.getCooldown('a', 'gemini-2.5-pro')).toEqual(limit(5_000));
    expect(store.getCooldown('a', 'gemini-2.5-flash')).toBeUndefined();
    expect([...store.getCooldowns('a').keys()]).toEqual(['gemini-2.5-pro']);
    store.clearCooldown('a', 'gemini-2.5-pro');
    expect(store.getCooldown('a', 'gemini-2.5-pro')).toBeUndefined();
  });

  it('keeps a disabled mark until it is set to undefined', () => {
    store.setDisabled('a', { reason: 'SERVICE_DISABLED', message: 'enable the API', at: 1 });
    expect(store.getDisabled('a')?.reason).toBe('SERVICE_DISABLED');
    store.setDisabled('a', undefined);
    expect(store.getDisabled('a')).toBeUndefined();
  });

  it('counts uses, successes, rate limits and errors, with the last error and use', () => {
    store.recordUse('a', 10);
    store.recordUse('a', 20);
    store.recordSuccess('a');
    store.recordFailure('a', { at: 21, status: 429, reason: 'RATE', message: 'm' }, true);
    store.recordFailure('a', { at: 22, status: 500, reason: 'INTERNAL', message: 'n' }, false);
    expect(store.counters('a')).toEqual({
      requests: 2,
      successes: 1,
      rateLimits: 1,
      errors: 1,
      lastUsedAt: 20,
      lastError: { at: 22, status: 500, reason: 'INTERNAL', message: 'n' },
    });
  });

  it('forgets every trace of a credential that left the pool', () => {
    store.setCooldown('a', ALL_MODELS, limit(5_000));
    store.setDisabled('a', { reason: 'X', message: 'x', at: 1 });
    store.recordUse('a', 1);
    store.forget('a');
    expect(store.getCooldowns('a').size).toBe(0);
    expect(store.getDisabled('a')).toBeUndefined();
    expect(store.counters('a').requests).toBe(0);
  });

  it('resolves a refresh without losing what was written locally', async () => {
    store.setCooldown('a', 'm', limit(Date.now() + 60_000));
    await store.refresh(['a']);
    expect(store.getCooldown('a', 'm')?.reason).toBe('RATE_LIMIT_EXCEEDED');
  });
});

describe('RedisPoolStateStore across replicas', () => {
  it('shows a cooldown written on one replica on the other, through pub/sub', async () => {
    const [a, b] = await redisReplicas(2);
    const until = Date.now() + 60_000;
    a.setCooldown('cred', 'gemini-2.5-pro', limit(until));
    await waitFor(() => b.getCooldown('cred', 'gemini-2.5-pro')?.until === until, 2_000, 'B');
  });

  it('never lets a replica shorten a running limit, or replace it with a passing fault', async () => {
    const [a, b] = await redisReplicas(2);
    const later = Date.now() + 120_000;
    a.setCooldown('cred', 'm', limit(later, 2));
    await waitFor(() => b.getCooldown('cred', 'm') !== undefined, 2_000, 'B to learn it');
    b.setCooldown('cred', 'm', limit(Date.now() + 1_000, 1));
    b.setCooldown('cred', 'm', { ...limit(Date.now() + 10_000, 0), kind: 'transient' });
    await waitFor(() => b.getCooldown('cred', 'm')?.until === later, 2_000, 'the merge');
    expect(b.getCooldown('cred', 'm')).toMatchObject({ kind: 'rate-limit', strikes: 2 });
    expect(a.getCooldown('cred', 'm')).toMatchObject({ until: later, kind: 'rate-limit' });
  });

  it('reaches every replica with a disabled mark and with its removal', async () => {
    const [a, b] = await redisReplicas(2);
    a.setDisabled('cred', { reason: 'SUBSCRIPTION_REQUIRED', message: 'buy it', at: 1 });
    await waitFor(() => b.getDisabled('cred')?.reason === 'SUBSCRIPTION_REQUIRED', 2_000, 'B');
    b.setDisabled('cred', undefined);
    await waitFor(() => a.getDisabled('cred') === undefined, 2_000, 'A to see the re-enable');
  });

  it('sums both replicas’ counters once they are flushed and re-read', async () => {
    const [a, b] = await redisReplicas(2);
    a.recordUse('cred', 1);
    b.recordUse('cred', 2);
    b.recordUse('cred', 3);
    await a.refresh(['cred']);
    await b.refresh(['cred']);
    await a.refresh(['cred']);
    expect(a.counters('cred').requests).toBe(3);
    expect(b.counters('cred').requests).toBe(3);
  });

  it('sends the counters still pending when its connection closes at shutdown', async () => {
    const connection = await connect('shutdown:', 'leaving');
    const leaving = new RedisPoolStateStore(connection);
    const b = new RedisPoolStateStore(await connect('shutdown:', 'staying'));
    stores.push(leaving, b);
    leaving.recordUse('cred', 1);
    leaving.recordSuccess('cred');
    await connection.close();
    await b.refresh(['cred']);
    expect(b.counters('cred')).toMatchObject({ requests: 1, successes: 1 });
  });

  it('hands out cursor values from one shared sequence, so replicas interleave', async () => {
    const [a, b] = await redisReplicas(2);
    // What each replica would hand out next, and the shared value in Redis.
    const next = (store: RedisPoolStateStore) => (store as unknown as { cursor: number }).cursor;
    const { redis } = a as unknown as { redis: RedisConnection };
    // Both replicas heard every advance: requests a few ms apart in production, but a busy
    // machine may deliver the advance later than any fixed pause (two replicas selecting before
    // hearing it may take the same value, as the store says).
    const heardAll = async () => {
      const shared = Number(await redis.client.get(redis.key('pool:cursor')));
      return next(a) === shared && next(b) === shared;
    };
    a.nextCursor();
    b.nextCursor();
    await waitFor(heardAll, 5_000, 'both replicas to hear the advances');
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      seen.push((i % 2 ? b : a).nextCursor());
      await waitFor(heardAll, 5_000, 'both replicas to hear the advance');
    }
    expect(new Set(seen).size).toBe(6);
    expect(seen.map((v) => v % 2)).not.toEqual([0, 0, 1, 1, 0, 0]);
    expect(new Set(seen.map((v) => v % 2)).size).toBe(2);
  });

  it('learns on a resync what it missed while it was not listening', async () => {
    const [a, b] = await redisReplicas(2);
    await b.refresh(['cred']);
    a.setCooldown('cred', 'm', limit(Date.now() + 60_000));
    a.setDisabled('cred', { reason: 'SERVICE_DISABLED', message: 'm', at: 1 });
    await waitFor(() => b.getDisabled('cred') !== undefined, 2_000, 'B');
    b.forget('cred');
    expect(b.getCooldown('cred', 'm')).toBeUndefined();
    await b.refresh(['cred']);
    expect(b.getCooldown('cred', 'm')?.reason).toBe('RATE_LIMIT_EXCEEDED');
    expect(b.getDisabled('cred')?.reason).toBe('SERVICE_DISABLED');
  });

  it('puts back what it learned alone once Redis returns empty', async () => {
    const [a, b] = await redisReplicas(2);
    const until = Date.now() + 60_000;
    await a.refresh(['cred']);
    a.setCooldown('cred', 'm', limit(until));
    await waitFor(() => b.getCooldown('cred', 'm') !== undefined, 2_000, 'B');
    await redis.stop();
    await redis.restart();
    await waitFor(
      async () => {
        await b.refresh(['cred']);
        return b.getCooldown('cred', 'm')?.until === until;
      },
      8_000,
      'A to put its cooldown back',
    );
  });
});

describe('RedisPoolStateStore while Redis is away', () => {
  it('keeps serving from local state, then shares again once Redis is back', async () => {
    const own = await RedisServer.start();
    const url = own.url;
    const a = new RedisPoolStateStore(
      (() => {
        const c = new RedisConnection({ url, keyPrefix: 'down:', replicaId: 'a' });
        connections.push(c);
        return c;
      })(),
    );
    const cb = new RedisConnection({ url, keyPrefix: 'down:', replicaId: 'b' });
    connections.push(cb);
    const b = new RedisPoolStateStore(cb);
    stores.push(a, b);
    try {
      await waitFor(() => cb.isUp, 5_000, 'B connected');
      await own.stop();
      await waitFor(() => !cb.isUp, 5_000, 'B to notice');
      a.setCooldown('cred', 'm', limit(Date.now() + 60_000));
      expect(a.getCooldown('cred', 'm')).toBeDefined();
      expect(() => a.nextCursor()).not.toThrow();
      await own.restart();
      await waitFor(() => cb.isUp, 10_000, 'B to reconnect');
      await waitFor(
        () => {
          a.setCooldown('cred', 'm2', limit(Date.now() + 60_000));
          return b.getCooldown('cred', 'm2') !== undefined;
        },
        5_000,
        'sharing to resume',
      );
    } finally {
      await own.stop();
    }
  });
});

describe('RedisPoolStateStore while Redis refuses writes (maxmemory reached, noeviction)', () => {
  let full: RedisServer;
  let admin: RedisConnection;

  beforeAll(async () => {
    full = await RedisServer.start();
    admin = new RedisConnection({ url: full.url, keyPrefix: 'full:', replicaId: 'admin' });
    connections.push(admin);
    await waitFor(() => admin.isUp, 5_000, 'the admin connection');
  });

  afterAll(() => full.stop());

  afterEach(() => admin.client.call('CONFIG', 'SET', 'maxmemory', '0'));

  async function replica(name: string): Promise<RedisPoolStateStore> {
    const connection = new RedisConnection({ url: full.url, keyPrefix: 'full:', replicaId: name });
    connections.push(connection);
    await waitFor(() => connection.isUp, 5_000, `replica ${name}`);
    const store = new RedisPoolStateStore(connection);
    stores.push(store);
    await store.refresh(['cred']);
    return store;
  }

  /** Redis answers `OOM command not allowed` to every write from now on. */
  async function fill(): Promise<void> {
    await admin.client.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await admin.client.call('CONFIG', 'SET', 'maxmemory', '1');
    await expect(admin.client.set(admin.key('probe'), 'x')).rejects.toThrow(/OOM/);
  }

  it('keeps its own rate limit through every resync, for as long as Google asked', async () => {
    const a = await replica('a');
    await fill();
    const until = Date.now() + 30_000;
    a.setCooldown('cred', 'gemini-2.5-pro', limit(until));
    for (let i = 0; i < 3; i++) await a.refresh(['cred']);
    expect(await admin.client.hgetall(admin.key('pool:cd:cred'))).toEqual({});
    expect(a.getCooldown('cred', 'gemini-2.5-pro')?.until).toBe(until);
  });

  it('says once that Redis refuses its writes, and once that it takes them again', async () => {
    const lines: string[] = [];
    const capture = (message: unknown) => void lines.push(String(message));
    Logger.overrideLogger({ log: capture, warn: capture, error: capture });
    try {
      const a = await replica('a');
      await fill();
      for (let i = 0; i < 3; i++) {
        a.setCooldown('cred', `m${i}`, limit(Date.now() + 30_000));
        await a.refresh(['cred']);
      }
      await admin.client.call('CONFIG', 'SET', 'maxmemory', '0');
      await a.refresh(['cred']);
      const refused = lines.filter((l) => l.startsWith('Redis refused a write'));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toContain('OOM');
      expect(lines.filter((l) => l.includes('writes again'))).toHaveLength(1);
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
  });

  it('keeps its own disabled mark through a resync', async () => {
    const a = await replica('a');
    await fill();
    a.setDisabled('cred', { reason: 'SERVICE_DISABLED', message: 'enable the API', at: 1 });
    await a.refresh(['cred']);
    await a.refresh(['cred']);
    expect(await admin.client.get(admin.key('pool:dis:cred'))).toBeNull();
    expect(a.getDisabled('cred')?.reason).toBe('SERVICE_DISABLED');
  });

  it('takes a longer limit another replica shared over its own unshared one', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    const later = Date.now() + 120_000;
    b.setCooldown('cred', 'm', limit(later, 3));
    await waitFor(() => a.getCooldown('cred', 'm')?.until === later, 2_000, 'A to hear it');
    await fill();
    a.setCooldown('cred', 'm', limit(Date.now() + 30_000, 1));
    await a.refresh(['cred']);
    expect(a.getCooldown('cred', 'm')).toMatchObject({ until: later, strikes: 3 });
  });

  it('keeps counting the requests Redis refused to add, and adds them once it has room', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    await fill();
    a.recordUse('counted', 1);
    a.recordFailure('counted', { at: 2, status: 429, reason: 'RATE', message: 'm' }, true);
    await a.refresh(['counted']);
    await a.refresh(['counted']);
    expect(a.counters('counted')).toMatchObject({ requests: 1, rateLimits: 1 });
    await admin.client.call('CONFIG', 'SET', 'maxmemory', '0');
    await a.refresh(['counted']);
    await b.refresh(['counted']);
    expect(b.counters('counted')).toMatchObject({ requests: 1, rateLimits: 1, lastUsedAt: 1 });
    expect(a.counters('counted')).toMatchObject({ requests: 1, rateLimits: 1 });
  });

  it('writes what Redis refused once it has room again, so the other replicas learn it', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    await fill();
    const until = Date.now() + 30_000;
    a.setCooldown('cred', 'late', limit(until));
    await a.refresh(['cred']);
    await admin.client.call('CONFIG', 'SET', 'maxmemory', '0');
    await a.refresh(['cred']);
    await b.refresh(['cred']);
    expect(b.getCooldown('cred', 'late')?.until).toBe(until);
  });
});
