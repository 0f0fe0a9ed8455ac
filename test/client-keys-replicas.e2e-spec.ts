import OpenAI from 'openai';
import { Client } from 'pg';
import { FakeGoogle } from './fake-google/fake-google';
import { AUTH } from './support/pool-harness';
import { PostgresServer } from './support/postgres-server';
import { ProxyProcess } from './support/proxy-process';
import { RedisServer } from './support/redis-server';

const KEY = 'AIzaReplicaKey000000000000000000000rrrrr';
const MODEL = 'gemini-2.5-flash';

async function createKey(url: string, body: Record<string, unknown>) {
  const res = await fetch(`${url}/admin/api/keys`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

async function status(url: string, apiKey: string): Promise<number> {
  const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
  try {
    await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
    });
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

/** Milliseconds until `url` answers `expected` for the key, polled every 50 ms for at most 5 s. */
async function msUntil(url: string, apiKey: string, expected: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 5_000) {
    if ((await status(url, apiKey)) === expected) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Infinity;
}

describe.each([
  ['PostgreSQL and Redis', true],
  ['PostgreSQL alone', false],
])('client keys on two replicas sharing %s', (_name, withRedis) => {
  let fake: FakeGoogle;
  let postgres: PostgresServer;
  let redis: RedisServer | undefined;
  let replicas: ProxyProcess[] = [];
  let databaseUrl = '';

  beforeAll(async () => {
    fake = await FakeGoogle.start({ record: false });
    fake.addApiKey(KEY);
    postgres = await PostgresServer.start();
    if (withRedis) redis = await RedisServer.start();
    databaseUrl = await postgres.createDatabase(withRedis ? 'keys_redis' : 'keys_pg');
    const env: Record<string, string> = {
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      DATABASE_URL: databaseUrl,
    };
    if (redis) env.REDIS_URL = redis.url;
    replicas = await Promise.all([ProxyProcess.start(env), ProxyProcess.start(env)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.stop();
    await fake?.close();
    await postgres?.destroy();
  });

  it('a key made on one replica serves on the other, and a revoke bites on both within a second', async () => {
    const [a, b] = replicas.map((r) => r.url);
    const created = await createKey(a, { name: 'shared' });
    expect(await msUntil(b, created.key, 200)).toBeLessThan(1_000);
    const revoked = await fetch(`${a}/admin/api/keys/${created.id}`, {
      method: 'DELETE',
      headers: AUTH,
    });
    expect(revoked.status).toBe(200);
    expect(await msUntil(b, created.key, 401)).toBeLessThan(1_000);
    expect(await status(a, created.key)).toBe(401);

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const stored = JSON.stringify([
      (await db.query('SELECT * FROM client_keys')).rows,
      (await db.query('SELECT * FROM audit_log')).rows,
    ]);
    await db.end();
    expect(stored).toContain(created.id);
    expect(stored).not.toContain(created.key);
    expect(stored).not.toContain(created.key.slice(6));
    for (const r of replicas) expect(r.output).not.toContain(created.key.slice(6));
  });

  it('an expiry set on one replica bites on the other', async () => {
    const [a, b] = replicas.map((r) => r.url);
    const created = await createKey(a, { name: 'expiring' });
    expect(await msUntil(b, created.key, 200)).toBeLessThan(1_000);
    const patched = await fetch(`${a}/admin/api/keys/${created.id}`, {
      method: 'PATCH',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ expires_at: new Date(Date.now() - 1_000).toISOString() }),
    });
    expect(patched.status).toBe(200);
    expect(await msUntil(b, created.key, 401)).toBeLessThan(1_000);
  });

  if (withRedis)
    it('counts rpm across the replicas', async () => {
      const [a, b] = replicas.map((r) => r.url);
      const created = await createKey(a, { name: 'rpm-3', rpm: 3 });
      expect(await msUntil(b, created.key, 200)).toBeLessThan(1_000);
      // One request already counted on b.
      expect(await status(a, created.key)).toBe(200);
      expect(await status(b, created.key)).toBe(200);
      expect(await status(a, created.key)).toBe(429);
      expect(await status(b, created.key)).toBe(429);
    });
});
