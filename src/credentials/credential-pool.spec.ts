import { Clock } from './clock';
import { apiKeyCredential, parseCredential } from './credential-parser';
import { Credential } from './credential';
import {
  CredentialPool,
  MODEL_UNAVAILABLE_BACKOFF,
  RATE_LIMIT_BACKOFF,
  TRANSIENT_BACKOFF,
} from './credential-pool';
import { ALL_MODELS, InMemoryPoolStateStore } from './pool-state-store';

class FakeClock extends Clock {
  constructor(public t = 1_000_000) {
    super();
  }
  now(): number {
    return this.t;
  }
}

function oauth(email: string): Credential {
  const r = parseCredential(
    { refresh_token: `rt-${email}`, user_email: email },
    { clientId: 'c', clientSecret: 's' },
  );
  if (!r.ok) throw new Error(r.problem);
  return r.credential;
}

function setup(creds: Credential[]) {
  const clock = new FakeClock();
  const pool = new CredentialPool(new InMemoryPoolStateStore(), clock);
  pool.replaceAll(creds);
  const pick = (model = 'm', kind?: 'api-key') => {
    const s = pool.select({ model, kind });
    return s.outcome === 'selected' ? s.credential.id : s.outcome;
  };
  return { clock, pool, pick };
}

describe('CredentialPool', () => {
  it('rotates round-robin request by request', () => {
    const { pick } = setup([oauth('a@x'), oauth('b@x'), oauth('c@x')]);
    expect([pick(), pick(), pick(), pick()]).toEqual(['a@x', 'b@x', 'c@x', 'a@x']);
  });

  it('reports an empty pool', () => {
    expect(setup([]).pick()).toBe('empty');
  });

  it('skips a credential cooling for the model until its deadline', () => {
    const { pool, pick, clock } = setup([oauth('a@x'), oauth('b@x')]);
    pool.cool('a@x', 'm', 'RATE_LIMIT_EXCEEDED', clock.t + 10_000, RATE_LIMIT_BACKOFF);
    expect([pick(), pick(), pick()]).toEqual(['b@x', 'b@x', 'b@x']);
    clock.t += 10_001;
    expect(new Set([pick(), pick()])).toEqual(new Set(['a@x', 'b@x']));
  });

  it('keeps serving other models from a credential cooling for one model', () => {
    const { pool, pick, clock } = setup([oauth('a@x')]);
    pool.cool('a@x', 'm', 'RATE_LIMIT_EXCEEDED', clock.t + 10_000, RATE_LIMIT_BACKOFF);
    expect(pick('other')).toBe('a@x');
  });

  it('cools every model when the cooldown is for the whole credential', () => {
    const { pool, pick, clock } = setup([oauth('a@x')]);
    pool.cool(
      'a@x',
      ALL_MODELS,
      'INSUFFICIENT_G1_CREDITS_BALANCE',
      clock.t + 10_000,
      RATE_LIMIT_BACKOFF,
    );
    expect(pick('other')).toBe('all-cooling');
  });

  it('answers all-cooling with the soonest recovery', () => {
    const { pool, clock } = setup([oauth('a@x'), oauth('b@x')]);
    pool.cool('a@x', 'm', 'r', clock.t + 30_000, RATE_LIMIT_BACKOFF);
    pool.cool('b@x', 'm', 'r', clock.t + 5_000, RATE_LIMIT_BACKOFF);
    expect(pool.select({ model: 'm' })).toEqual({
      outcome: 'all-cooling',
      soonest: clock.t + 5_000,
    });
  });

  it('doubles the backoff on consecutive strikes when Google gives no delay', () => {
    const { pool, clock } = setup([oauth('a@x')]);
    const first = pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF) - clock.t;
    clock.t += first + 1;
    const second = pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF) - clock.t;
    expect(first).toBe(RATE_LIMIT_BACKOFF.baseMs);
    expect(second).toBe(RATE_LIMIT_BACKOFF.baseMs * 2);
  });

  it('never shortens an existing deadline', () => {
    const { pool, clock } = setup([oauth('a@x')]);
    pool.cool('a@x', 'm', 'r', clock.t + 60_000, RATE_LIMIT_BACKOFF);
    expect(pool.cool('a@x', 'm', 'r', clock.t + 1_000, RATE_LIMIT_BACKOFF)).toBe(clock.t + 60_000);
  });

  it('clears the backoff after a success', () => {
    const { pool, clock, pick } = setup([oauth('a@x')]);
    pool.cool('a@x', 'm', 'r', clock.t + 5_000, RATE_LIMIT_BACKOFF);
    pool.markSuccess('a@x', 'm');
    expect(pick()).toBe('a@x');
    expect(pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF) - clock.t).toBe(
      RATE_LIMIT_BACKOFF.baseMs,
    );
  });

  it('skips disabled credentials and says why when none is left', () => {
    const { pool, pick } = setup([oauth('a@x'), oauth('b@x')]);
    pool.disable('a@x', { reason: 'SUBSCRIPTION_REQUIRED', message: 'needs a licence' });
    expect([pick(), pick()]).toEqual(['b@x', 'b@x']);
    pool.disable('b@x', { reason: 'VALIDATION_REQUIRED', message: 'verify' });
    const s = pool.select({ model: 'm' });
    expect(s).toEqual({
      outcome: 'all-disabled',
      reasons: expect.arrayContaining(['a@x: SUBSCRIPTION_REQUIRED']),
    });
  });

  it('re-enables a credential on request', () => {
    const { pool, pick } = setup([oauth('a@x')]);
    pool.disable('a@x', { reason: 'X', message: 'y' });
    expect(pool.enable('a@x')).toBe(true);
    expect(pick()).toBe('a@x');
  });

  it('serves embeddings only from API keys', () => {
    const key = apiKeyCredential('AIzaSecretKey12345');
    const { pick } = setup([oauth('a@x'), key]);
    expect([pick('e', 'api-key'), pick('e', 'api-key')]).toEqual([key.id, key.id]);
    expect(setup([oauth('a@x')]).pick('e', 'api-key')).toBe('none-capable');
  });

  it('skips the credentials a request already tried', () => {
    const { pool } = setup([oauth('a@x'), oauth('b@x')]);
    const s = pool.select({ model: 'm', exclude: new Set(['a@x', 'b@x']) });
    expect(s.outcome).toBe('exhausted');
  });

  it('keeps state for credentials that stay and forgets those that leave', () => {
    const { pool } = setup([oauth('a@x'), oauth('b@x')]);
    pool.disable('a@x', { reason: 'X', message: 'y' });
    pool.replaceAll([oauth('a@x')]);
    expect(pool.isDisabled('a@x')).toBe(true);
    pool.replaceAll([oauth('b@x')]);
    pool.replaceAll([oauth('a@x')]);
    expect(pool.isDisabled('a@x')).toBe(false);
  });

  it('shows status without secrets', () => {
    const key = apiKeyCredential('AIzaSecretKey12345');
    const { pool, clock } = setup([oauth('a@x'), key]);
    pool.cool('a@x', 'gemini-2.5-pro', 'RATE_LIMIT_EXCEEDED', clock.t + 9_000, RATE_LIMIT_BACKOFF);
    const status = pool.status();
    expect(status[0]).toMatchObject({
      state: 'cooling',
      cooldowns: [{ model: 'gemini-2.5-pro', remainingMs: 9_000, reason: 'RATE_LIMIT_EXCEEDED' }],
    });
    expect(JSON.stringify(status)).not.toContain('AIzaSecretKey12345');
    expect(JSON.stringify(status)).not.toContain('rt-a@x');
    expect(status[1].label).toBe('api-key ...12345');
  });

  it('says so when every credential is cooling only because the model is unavailable to it', () => {
    const { pool } = setup([oauth('a@x'), oauth('b@x')]);
    pool.cool('a@x', 'm', 'NOT_FOUND', undefined, MODEL_UNAVAILABLE_BACKOFF);
    pool.cool('b@x', 'm', 'NOT_FOUND', undefined, MODEL_UNAVAILABLE_BACKOFF);
    expect(pool.select({ model: 'm' })).toMatchObject({
      outcome: 'all-cooling',
      unavailable: true,
    });
    pool.cool('b@x', 'm', 'RATE_LIMIT_EXCEEDED', undefined, RATE_LIMIT_BACKOFF);
    expect(pool.select({ model: 'm' })).not.toHaveProperty('unavailable');
  });

  it('keeps the kind of each cooldown for the status view', () => {
    const { pool } = setup([oauth('a@x')]);
    pool.cool('a@x', 'm', 'UNAVAILABLE', undefined, TRANSIENT_BACKOFF);
    expect(pool.status()[0].cooldowns).toEqual([
      expect.objectContaining({ kind: 'transient', reason: 'UNAVAILABLE' }),
    ]);
  });

  it('counts requests, successes, rate limits and errors through the store, not through a shared object', () => {
    const { pool } = setup([oauth('a@x')]);
    pool.markUsed('a@x');
    pool.markUsed('a@x');
    pool.markSuccess('a@x', 'm');
    pool.recordError('a@x', 429, 'RATE_LIMIT_EXCEEDED', 'slow down', true);
    pool.recordError('a@x', 503, 'UNAVAILABLE', 'x'.repeat(400));
    const snapshot = pool.status()[0].counters;
    snapshot.requests = 99;
    expect(pool.status()[0].counters).toMatchObject({
      requests: 2,
      successes: 1,
      rateLimits: 1,
      errors: 1,
      lastError: { status: 503, reason: 'UNAVAILABLE' },
    });
    expect(pool.status()[0].counters.lastError!.message).toHaveLength(300);
  });
});
