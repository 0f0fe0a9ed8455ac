import { Logger } from '@nestjs/common';
import { Clock } from '../time/clock';
import { apiKeyCredential } from '../credentials/credential-parser';
import { CredentialPool } from '../credentials/credential-pool';
import { InMemoryPoolStateStore } from '../credentials/pool-state-store';
import { UpstreamHttpError } from '../upstream/upstream-errors';
import { NO_LIMITS, parseLimitTable } from '../config/quota-limits';
import { QuotaRequest, QuotaRouter } from './quota-router';
import { InMemoryQuotaStore } from './quota-store';
import { InMemoryAffinityStore } from './session-affinity';

class FixedClock extends Clock {
  constructor(public at: number) {
    super();
  }
  now(): number {
    return this.at;
  }
}

const KEYS = ['AIzaRouterKeyA1111', 'AIzaRouterKeyB2222', 'AIzaRouterKeyC3333'];
const MODEL = 'gemini-2.5-flash';

function setup(declared = NO_LIMITS, affinityTtlMs = 600_000) {
  const clock = new FixedClock(Date.parse('2026-12-07T20:00:05Z'));
  const pool = new CredentialPool(new InMemoryPoolStateStore(), clock);
  pool.replaceAll(KEYS.map((k) => apiKeyCredential(k)));
  const router = new QuotaRouter(
    new InMemoryQuotaStore(),
    new InMemoryAffinityStore(affinityTtlMs, () => clock.now()),
    pool,
    clock,
    { routing: true, declared, affinityTtlMs },
  );
  const pick = async (request: QuotaRequest) => {
    const selection = await router.select(request, (exclude, prefer) =>
      pool.select({ model: MODEL, exclude, prefer }),
    );
    if (selection.outcome === 'selected') router.served(selection.credential, request);
    return selection;
  };
  return { router, pool, clock, pick };
}

const idOf = (s: { outcome: string; credential?: { id: string } }) => s.credential?.id ?? s.outcome;

describe('QuotaRouter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('goes round-robin among the credentials with room, then answers its own 429 naming the limit', async () => {
    const { pick } = setup(parseLimitTable({ [MODEL]: { rpm: 2 } }));
    const picks = [];
    for (let i = 0; i < 6; i++) picks.push(await pick({ model: MODEL, tokens: 10 }));
    expect(picks.slice(0, 6).map(idOf)).toEqual([
      'key...A1111',
      'key...B2222',
      'key...C3333',
      'key...A1111',
      'key...B2222',
      'key...C3333',
    ]);
    const full = await pick({ model: MODEL, tokens: 10 });
    expect(full.outcome).toBe('quota-full');
    if (full.outcome !== 'quota-full') return;
    expect(full.error.status).toBe(429);
    expect(full.error.retryAfterSeconds).toBe(55);
    expect(full.error.message).toContain('2 requests per minute');
  });

  it('keeps a conversation on its credential while it has room, then moves it and sticks there', async () => {
    const { pick } = setup(parseLimitTable({ [MODEL]: { rpm: 2 } }));
    const conversation = {
      model: MODEL,
      tokens: 10,
      conversation: { key: 'o:abc', continues: true },
    };
    expect(idOf(await pick({ ...conversation }))).toBe('key...A1111');
    expect(idOf(await pick({ model: MODEL, tokens: 10 }))).toBe('key...B2222');
    expect(idOf(await pick({ ...conversation }))).toBe('key...A1111');
    // A is full now: the conversation moves on, and stays where it went.
    const moved = idOf(await pick({ ...conversation }));
    expect(moved).not.toBe('key...A1111');
    expect(idOf(await pick({ ...conversation }))).toBe(moved);
  });

  it('lets a conversation go where round-robin says when affinity is off', async () => {
    const { pick } = setup(NO_LIMITS, 0);
    const conversation = {
      model: MODEL,
      tokens: 10,
      conversation: { key: 'o:abc', continues: true },
    };
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(idOf(await pick({ ...conversation })));
    expect(new Set(ids).size).toBe(3);
  });

  it("learns a limit from Google's 429 and uncounts the refused request", async () => {
    const { router, pick, pool } = setup();
    const request: QuotaRequest = { model: MODEL, tokens: 10 };
    const first = await pick(request);
    if (first.outcome !== 'selected') throw new Error('nothing selected');
    const body = {
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'quota',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              { quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', quotaValue: '1' },
            ],
          },
        ],
      },
    };
    await router.failed(first.credential, request, new UpstreamHttpError(429, body));
    const key = router.keyOf(first.credential, MODEL);
    expect(await router.store.learned(key)).toEqual({ rpm: 1 });
    const [entry] = await router.store.list(
      { minute: { name: 'minute', start: 0, end: 0 }, day: { name: 'day', start: 0, end: 0 } },
      1,
    );
    expect(entry.subject).toBe(key.subject);
    // The key has room for exactly the one request Google allows.
    expect(idOf(await pick({ model: MODEL, tokens: 10 }))).toBe('key...B2222');
    expect(idOf(await pick({ model: MODEL, tokens: 10 }))).toBe('key...C3333');
    expect(idOf(await pick({ model: MODEL, tokens: 10 }))).toBe(first.credential.id);
    expect(pool.size).toBe(3);
  });
});
