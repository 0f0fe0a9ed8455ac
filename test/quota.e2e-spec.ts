import { FakeGoogle } from './fake-google/fake-google';
import { QUOTA_OPTIONS } from '../src/quota/quota.module';
import { NO_LIMITS } from '../src/config/quota-limits';
import type { QuotaView } from '../src/quota/quota-view';
import { nextPacificMidnight } from '../src/upstream/quota-reset';
import { AUTH, generate, ManualClock, startPoolProxy } from './support/pool-harness';
import { RunningProxy } from './support/proxy';
import { RedisServer } from './support/redis-server';
import { waitFor } from './support/wait';

const MODEL = 'gemini-2.5-flash';
const KEYS = ['A', 'B', 'C', 'D'].map(
  (k) => `AIzaQuotaKey${k.repeat(23)}${k.toLowerCase().repeat(4)}${k}`,
);
const RPM = 5;
const CAPACITY = KEYS.length * RPM;

/** Frozen time both the proxy and the fake count by; tests move it. */
class SharedClock extends ManualClock {
  /** Moves to `ms` past the start of the next clock minute. */
  nextMinute(ms = 500): void {
    this.advance(60_000 - (this.now() % 60_000) + ms);
  }

  /** Moves to an absolute time (forward only). */
  to(at: number): void {
    this.advance(at - this.now());
  }
}

interface Load {
  served: number;
  proxy429: number;
  /** Client 429s answered while some key still had room in that minute. */
  refusedWithRoom: number;
  retryAfter: number[];
  googleCalls: number;
  google429: number;
  google429PerKey: number[];
}

/**
 * `perMinute` requests, evenly spaced over each of `minutes` clock minutes, one after another, each
 * a new conversation. The minute windows pass on the shared clock, not in real time.
 */
async function offer(
  proxy: RunningProxy,
  fake: FakeGoogle,
  clock: SharedClock,
  perMinute: number,
  minutes: number,
): Promise<Load> {
  const callsBefore = fake.requests.filter((r) => r.action === 'generateContent').length;
  const rejectionsBefore = KEYS.map((k) => fake.quotaRejections(k, MODEL));
  const load: Load = {
    served: 0,
    proxy429: 0,
    refusedWithRoom: 0,
    retryAfter: [],
    googleCalls: 0,
    google429: 0,
    google429PerKey: [],
  };
  for (let m = 0; m < minutes; m++) {
    clock.nextMinute();
    const start = clock.now();
    let servedThisMinute = 0;
    for (let i = 0; i < perMinute; i++) {
      clock.to(start + Math.floor((i * 59_000) / perMinute));
      const res = await generate(proxy, `minute ${m} request ${i} ${Math.random()}`);
      const text = await res.text();
      if (res.status === 200) {
        load.served++;
        servedThisMinute++;
      } else if (res.status === 429) {
        load.proxy429++;
        load.retryAfter.push(Number(res.headers.get('retry-after')));
        if (servedThisMinute < CAPACITY) {
          load.refusedWithRoom++;
          if (process.env.QUOTA_DEBUG)
            console.log(m, i, servedThisMinute, text, res.headers.get('retry-after'));
        }
      } else throw new Error(`unexpected ${res.status}`);
    }
  }
  load.googleCalls =
    fake.requests.filter((r) => r.action === 'generateContent').length - callsBefore;
  load.google429PerKey = KEYS.map((k, i) => fake.quotaRejections(k, MODEL) - rejectionsBefore[i]);
  load.google429 = load.google429PerKey.reduce((a, b) => a + b, 0);
  return load;
}

async function quotaView(proxy: RunningProxy): Promise<QuotaView> {
  const res = await fetch(`${proxy.url}/admin/api/quota`, { headers: AUTH });
  expect(res.status).toBe(200);
  return (await res.json()) as QuotaView;
}

function windowOf(view: QuotaView, credentialId: string, limit: string) {
  const model = view.credentials
    .find((c) => c.id === credentialId)
    ?.models.find((m) => m.model === MODEL);
  return model?.windows.find((w) => w.limit === limit);
}

const keyId = (key: string) => `key...${key.slice(-5)}`;

describe('quota-aware routing against a fake Google that enforces 5 requests a minute per key', () => {
  let fake: FakeGoogle;
  const clock = new SharedClock();
  const started: RunningProxy[] = [];

  async function proxyWith(env: Record<string, string>, routing = true): Promise<RunningProxy> {
    const proxy = await startPoolProxy(
      { ...fake.env(), GEMINI_API_KEYS: KEYS.join(','), MAX_ATTEMPTS: '4', ...env },
      {
        clock,
        overrides: routing
          ? []
          : [
              {
                provide: QUOTA_OPTIONS,
                useValue: { routing: false, declared: NO_LIMITS, affinityTtlMs: 0 },
              },
            ],
      },
    );
    started.push(proxy);
    return proxy;
  }

  beforeAll(async () => {
    clock.freeze();
    fake = await FakeGoogle.start({ record: true });
    for (const key of KEYS) fake.addApiKey(key);
  });

  beforeEach(() => {
    // A fresh Pacific day (the fake forgets its counts too): no test inherits another's quota.
    clock.to(nextPacificMidnight(clock.now()) + 12 * 3_600_000);
    fake.reset();
    fake.enforceQuotas({ now: () => clock.now(), limits: { [MODEL]: { rpm: RPM } } });
  });

  afterAll(async () => {
    for (const proxy of started) await proxy.close();
    await fake?.close();
  });

  it('at 1.2× capacity for 3 minutes, lets at most one 429 per key reach Google, serves the capacity, and refuses nobody while a key has room', async () => {
    const rr = await offer(await proxyWith({}, false), fake, clock, CAPACITY * 1.2, 3);
    fake.enforceQuotas({ now: () => clock.now(), limits: { [MODEL]: { rpm: RPM } } });
    const quota = await offer(await proxyWith({}), fake, clock, CAPACITY * 1.2, 3);
    console.log(
      `1.2× capacity (${CAPACITY * 1.2}/min × 3 min, capacity ${CAPACITY}/min):\n` +
        `  quota routing: served ${quota.served}, Google called ${quota.googleCalls}×, Google 429s ${quota.google429} (per key ${quota.google429PerKey.join('/')}), proxy 429s ${quota.proxy429}\n` +
        `  round-robin:   served ${rr.served}, Google called ${rr.googleCalls}×, Google 429s ${rr.google429} (per key ${rr.google429PerKey.join('/')}), client 429s ${rr.proxy429}`,
    );
    for (const n of quota.google429PerKey) expect(n).toBeLessThanOrEqual(1);
    expect(quota.served).toBe(CAPACITY * 3);
    expect(quota.refusedWithRoom).toBe(0);
    expect(quota.googleCalls).toBe(quota.served + quota.google429);
    expect(quota.google429).toBeLessThan(rr.google429);
  });

  it('at 2× capacity answers the excess itself with Retry-After, without calling Google for it, and still serves the capacity', async () => {
    const proxy = await proxyWith({});
    await offer(proxy, fake, clock, CAPACITY + KEYS.length, 1); // learns the limits
    const load = await offer(proxy, fake, clock, CAPACITY * 2, 2);
    console.log(
      `2× capacity (${CAPACITY * 2}/min × 2 min): served ${load.served}, proxy 429s ${load.proxy429}, Google called ${load.googleCalls}×, Google 429s ${load.google429}`,
    );
    expect(load.served).toBeGreaterThanOrEqual(Math.ceil(CAPACITY * 2 * 0.95));
    expect(load.proxy429).toBe(CAPACITY * 2 * 2 - load.served);
    expect(load.google429).toBe(0);
    expect(load.googleCalls).toBe(load.served);
    for (const s of load.retryAfter) {
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(60);
    }
  });

  it('with declared limits (QUOTA_LIMITS), no 429 reaches Google from the first minute', async () => {
    const proxy = await proxyWith({
      QUOTA_LIMITS: JSON.stringify({ 'gemini-2.5-*': { rpm: RPM } }),
    });
    const load = await offer(proxy, fake, clock, CAPACITY * 1.5, 2);
    expect(load.google429).toBe(0);
    expect(load.served).toBe(CAPACITY * 2);
    expect(load.refusedWithRoom).toBe(0);
  });

  it("takes a key's own limits from GEMINI_API_KEYS objects", async () => {
    const proxy = await proxyWith({
      GEMINI_API_KEYS: JSON.stringify(
        KEYS.map((key) => ({ key, limits: { [MODEL]: { rpm: RPM } } })),
      ),
    });
    const load = await offer(proxy, fake, clock, CAPACITY + 4, 1);
    expect(load.google429).toBe(0);
    expect(load.served).toBe(CAPACITY);
    const view = await quotaView(proxy);
    expect(windowOf(view, keyId(KEYS[0]), 'rpm')).toMatchObject({
      used: RPM,
      max: RPM,
      source: 'declared',
    });
  });

  it('shows used/limit bars per credential and model on /admin and headroom gauges on /metrics', async () => {
    const proxy = await proxyWith({
      QUOTA_LIMITS: JSON.stringify({ [MODEL]: { rpm: RPM, rpd: 100 } }),
    });
    await offer(proxy, fake, clock, RPM, 1);
    const page = await (await fetch(`${proxy.url}/admin`, { headers: AUTH })).text();
    const row = page.slice(page.indexOf('id="quota-title"'));
    expect(row).toContain('<meter min="0" max="5" value="2"');
    expect(row).toContain('requests / day');
    expect(row).toMatch(/reopens in \d+s/);
    const metrics = await (await fetch(`${proxy.url}/metrics`, { headers: AUTH })).text();
    expect(metrics).toContain(
      `gemini_proxy_quota_headroom_ratio{credential="${keyId(KEYS[0])}",model="${MODEL}",limit="rpm"} 0.6`,
    );
    expect(metrics).toContain(
      `gemini_proxy_quota_used{credential="${keyId(KEYS[0])}",model="${MODEL}",limit="rpd"} 2`,
    );
  });

  it('counts keys of one Google project together when the operator names the project', async () => {
    for (const key of KEYS) fake.setKeyProject(key, 'shared-project');
    try {
      const proxy = await proxyWith({
        GEMINI_API_KEYS: JSON.stringify(KEYS.map((key) => ({ key, project: 'shared-project' }))),
        QUOTA_LIMITS: JSON.stringify({ [MODEL]: { rpm: RPM } }),
      });
      const load = await offer(proxy, fake, clock, RPM * 2, 1);
      expect(load.served).toBe(RPM);
      expect(load.google429).toBe(0);
    } finally {
      for (const key of KEYS) fake.setKeyProject(key, `own-${key.slice(-5)}`);
    }
  });

  it('cools a key that spent its day until Pacific midnight, calls it again after, and /admin/api/quota says when', async () => {
    fake.enforceQuotas({ now: () => clock.now(), limits: { [MODEL]: { rpd: 3 } } });
    const proxy = await proxyWith({ GEMINI_API_KEYS: KEYS[0] });
    for (let i = 0; i < 3; i++) expect((await generate(proxy, `day ${i}`)).status).toBe(200);
    const limited = await generate(proxy, 'one too many');
    expect(limited.status).toBe(429);
    expect(fake.quotaRejections(KEYS[0], MODEL)).toBe(1);
    const midnight = nextPacificMidnight(clock.now());

    clock.advance(3 * 3_600_000);
    const calls = fake.requests.length;
    const later = await generate(proxy, 'three hours later');
    expect(later.status).toBe(429);
    expect(Number(later.headers.get('retry-after'))).toBe(
      Math.ceil((midnight - clock.now()) / 1000),
    );
    expect(fake.requests.length).toBe(calls);
    const rpd = windowOf(await quotaView(proxy), keyId(KEYS[0]), 'rpd');
    expect(rpd).toMatchObject({
      used: 3,
      max: 3,
      source: 'learned',
      reopensAt: new Date(midnight).toISOString(),
    });

    clock.to(midnight + 1000);
    expect((await generate(proxy, 'a new day')).status).toBe(200);
    expect(fake.requests.length).toBe(calls + 1);
  });

  it('reads a per-day 429 with a RetryInfo over 300 s as the end of the day', async () => {
    const proxy = await proxyWith({ GEMINI_API_KEYS: KEYS[0] });
    fake.failNext({
      status: 429,
      body: {
        error: {
          code: 429,
          message: 'Resource has been exhausted (e.g. check quota).',
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3600s' }],
        },
      },
    });
    const res = await generate(proxy, 'long delay');
    expect(res.status).toBe(429);
    const midnight = nextPacificMidnight(clock.now());
    expect(Number(res.headers.get('retry-after'))).toBe(Math.ceil((midnight - clock.now()) / 1000));
  });
});

describe('quota figures shared by two replicas on one Redis', () => {
  let redis: RedisServer;
  let fake: FakeGoogle;
  const clock = new SharedClock();
  const replicas: RunningProxy[] = [];

  beforeAll(async () => {
    clock.freeze();
    redis = await RedisServer.start();
    fake = await FakeGoogle.start();
    for (const key of KEYS.slice(0, 2)) fake.addApiKey(key);
    fake.enforceQuotas({ now: () => clock.now(), limits: { [MODEL]: { rpm: RPM } } });
    for (const id of ['a', 'b']) {
      replicas.push(
        await startPoolProxy(
          {
            ...fake.env(),
            GEMINI_API_KEYS: KEYS.slice(0, 2).join(','),
            REDIS_URL: redis.url,
            REPLICA_ID: id,
          },
          { clock },
        ),
      );
    }
    await waitFor(
      async () => (await Promise.all(replicas.map(quotaView))).length === 2,
      5_000,
      'both replicas up',
    );
  });

  afterAll(async () => {
    for (const proxy of replicas) await proxy.close();
    await fake?.close();
    await redis?.stop();
  });

  it('never spends a window twice and shows the same figures on both', async () => {
    clock.nextMinute();
    // Learning minute: at most one 429 per key teaches the limit to both replicas.
    for (let i = 0; i < 14; i++) await (await generate(replicas[i % 2], `learn ${i}`)).text();
    clock.nextMinute();
    const before = KEYS.slice(0, 2).map((k) => fake.quotaRejections(k, MODEL));
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        generate(replicas[i % 2], `shared ${i}`).then(async (r) => (await r.text(), r.status)),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(2 * RPM);
    expect(KEYS.slice(0, 2).map((k, i) => fake.quotaRejections(k, MODEL) - before[i])).toEqual([
      0, 0,
    ]);
    const [a, b] = await Promise.all(replicas.map(quotaView));
    for (const key of KEYS.slice(0, 2)) {
      expect(windowOf(a, keyId(key), 'rpm')).toEqual(windowOf(b, keyId(key), 'rpm'));
      expect(windowOf(a, keyId(key), 'rpm')).toMatchObject({ used: RPM, max: RPM });
    }
  });
});

describe('Code Assist accounts: retrieveUserQuota drives selection', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  const clock = new SharedClock();
  const SPENT = {
    email: 'spent@example.com',
    refreshToken: 'rt-spent-000001',
    projectId: 'proj-spent',
  };
  const FRESH = {
    email: 'fresh@example.com',
    refreshToken: 'rt-fresh-000002',
    projectId: 'proj-fresh',
  };

  beforeAll(async () => {
    clock.freeze();
    fake = await FakeGoogle.start();
    for (const account of [SPENT, FRESH]) fake.addOAuthAccount(account);
    const resetTime = new Date(clock.now() + 2 * 3_600_000).toISOString();
    fake.setUserQuota(SPENT.email, [
      { modelId: MODEL, remainingFraction: 0, resetTime, tokenType: 'REQUESTS' },
    ]);
    fake.setUserQuota(FRESH.email, [
      { modelId: MODEL, remainingFraction: 0.6, resetTime, tokenType: 'REQUESTS' },
    ]);
    proxy = await startPoolProxy(
      {
        ...fake.env(),
        CREDENTIALS_JSON_LIST: JSON.stringify(
          [SPENT, FRESH].map((a) => ({
            client_id: 'client-id',
            client_secret: 'client-secret',
            refresh_token: a.refreshToken,
            project_id: a.projectId,
            user_email: a.email,
          })),
        ),
      },
      { clock },
    );
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  it('skips an account at remainingFraction 0 until its resetTime, then uses it again', async () => {
    for (let i = 0; i < 6; i++) expect((await generate(proxy, `turn ${i}`)).status).toBe(200);
    const served = () =>
      fake.requests.filter((r) => r.action === 'generateContent').map((r) => r.credential);
    expect(served()).toEqual(Array(6).fill(FRESH.email));
    const view = await quotaView(proxy);
    const spent = view.credentials.find((c) => c.id.startsWith(SPENT.email));
    expect(spent?.models.find((m) => m.model === MODEL)?.codeAssist).toMatchObject({
      remainingFraction: 0,
    });

    fake.setUserQuota(SPENT.email, [
      { modelId: MODEL, remainingFraction: 1, tokenType: 'REQUESTS' },
    ]);
    clock.advance(2 * 3_600_000 + 1000);
    fake.reset();
    for (let i = 0; i < 4; i++) expect((await generate(proxy, `later ${i}`)).status).toBe(200);
    expect(served()).toContain(SPENT.email);
  });
});

describe('session affinity: a conversation keeps to one project, so implicit caching pays off', () => {
  let fake: FakeGoogle;
  const clock = new SharedClock();
  const started: RunningProxy[] = [];
  const SYSTEM = 'You are a careful coding agent. '.repeat(40);

  beforeAll(async () => {
    clock.freeze();
    fake = await FakeGoogle.start();
    for (const key of KEYS) fake.addApiKey(key);
    fake.cacheImplicitly();
  });

  afterAll(async () => {
    for (const proxy of started) await proxy.close();
    await fake?.close();
  });

  /** Six agent conversations of five turns, interleaved: the share of prompt tokens served from cache. */
  async function cachedShare(ttl: string): Promise<number> {
    fake.cacheImplicitly();
    const proxy = await startPoolProxy(
      { ...fake.env(), GEMINI_API_KEYS: KEYS.join(','), SESSION_AFFINITY_TTL_S: ttl },
      { clock },
    );
    started.push(proxy);
    const histories = Array.from({ length: 6 }, (_, c) => [
      {
        role: 'user',
        parts: [{ text: `Task ${c}: refactor module ${c} ${'with care '.repeat(30)}` }],
      },
    ]);
    let prompt = 0;
    let cached = 0;
    for (let turn = 0; turn < 5; turn++) {
      for (const history of histories) {
        const res = await fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, {
          method: 'POST',
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: JSON.stringify({
            systemInstruction: { parts: [{ text: SYSTEM }] },
            contents: history,
          }),
        });
        expect(res.status).toBe(200);
        const answer = (await res.json()) as {
          candidates: { content: { role: string; parts: { text: string }[] } }[];
          usageMetadata: { promptTokenCount: number; cachedContentTokenCount?: number };
        };
        prompt += answer.usageMetadata.promptTokenCount;
        cached += answer.usageMetadata.cachedContentTokenCount ?? 0;
        history.push(answer.candidates[0].content, {
          role: 'user',
          parts: [{ text: `tool result for turn ${turn} ${'output '.repeat(20)}` }],
        });
      }
    }
    return cached / prompt;
  }

  it("keeps an agent's session (its session header or Claude Code's metadata.user_id) on one key", async () => {
    const proxy = await startPoolProxy(
      { ...fake.env(), GEMINI_API_KEYS: KEYS.join(',') },
      { clock },
    );
    started.push(proxy);
    fake.reset();
    for (let i = 0; i < 4; i++) {
      const res = await generate(proxy, `unrelated opening ${i}`, MODEL, {
        headers: { ...AUTH, 'content-type': 'application/json', 'session-id': 'codex-session-1' },
      });
      expect(res.status).toBe(200);
    }
    const userId = JSON.stringify({ device_id: 'd', account_uuid: '', session_id: 'claude-1' });
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${proxy.url}/v1/messages`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model: MODEL,
          max_tokens: 100,
          metadata: { user_id: userId },
          messages: [{ role: 'user', content: `another opening ${i}` }],
        }),
      });
      expect(res.status).toBe(200);
    }
    const keys = fake.requests
      .filter((r) => r.action === 'generateContent')
      .map((r) => r.credential);
    expect(new Set(keys.slice(0, 4)).size).toBe(1);
    expect(new Set(keys.slice(4)).size).toBe(1);
  });

  it('serves a larger share of prompt tokens from cache with affinity than without', async () => {
    const without = await cachedShare('0');
    const withAffinity = await cachedShare('600');
    console.log(
      `cachedContentTokenCount / promptTokenCount over 6 conversations × 5 turns on 4 keys: ` +
        `with affinity ${(withAffinity * 100).toFixed(1)} %, without ${(without * 100).toFixed(1)} %`,
    );
    expect(withAffinity).toBeGreaterThan(without + 0.05);
  });
});
