import { Clock } from '../time/clock';
import { apiKeyCredential, parseCredential } from './credential-parser';
import { Credential } from './credential';
import {
  CredentialPool,
  MAX_MODEL_ENTRIES,
  MODEL_UNAVAILABLE_BACKOFF,
  PASSING_FAULT_MS,
  RATE_LIMIT_BACKOFF,
  STRIKE_MEMORY_MS,
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
  const store = new InMemoryPoolStateStore();
  const pool = new CredentialPool(store, clock);
  pool.replaceAll(creds);
  const pick = (model = 'm', kind?: 'api-key', exclude?: Set<string>) => {
    const canServe = kind ? (c: Credential) => c.kind === kind : undefined;
    const s = pool.select({ model, canServe, exclude });
    return s.outcome === 'selected' ? s.credential.id : s.outcome;
  };
  return { clock, pool, pick, store };
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

  it('lists a passing fault with its kind in the status view, and leaves the credential ok', () => {
    const { pool } = setup([oauth('a@x')]);
    pool.lowerPriority('a@x', 'm', 'UNAVAILABLE');
    expect(pool.status()[0]).toMatchObject({
      state: 'ok',
      cooldowns: [{ kind: 'transient', reason: 'UNAVAILABLE', remainingMs: PASSING_FAULT_MS }],
    });
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

describe('CredentialPool after Google’s passing faults', () => {
  it('puts a credential with a passing fault behind the others for that model', () => {
    const { pool, pick } = setup([oauth('a@x'), oauth('b@x')]);
    pool.lowerPriority('a@x', 'm', 'UNAVAILABLE');
    expect([pick(), pick(), pick(), pick()]).toEqual(['b@x', 'b@x', 'b@x', 'b@x']);
    expect(pick('other model')).toMatch(/^[ab]@x$/);
  });

  it('still picks a faulted credential when nothing better is eligible', () => {
    const { pool, pick } = setup([oauth('a@x'), oauth('b@x')]);
    pool.lowerPriority('a@x', 'm', 'UNAVAILABLE');
    expect(pick('m', undefined, new Set(['b@x']))).toBe('a@x');
    pool.disable('b@x', { reason: 'X', message: 'y' });
    expect(pick()).toBe('a@x');
  });

  it('keeps a single credential with a passing fault eligible', () => {
    const { pool, pick } = setup([oauth('a@x')]);
    pool.lowerPriority('a@x', 'm', 'timeout');
    pool.lowerPriority('a@x', 'm', 'UNAVAILABLE');
    expect(pick()).toBe('a@x');
  });

  it('prefers, of faulted credentials only, the one whose fault ends first', () => {
    const { pool, pick, clock } = setup([oauth('a@x'), oauth('b@x'), oauth('c@x')]);
    pool.lowerPriority('b@x', 'm', 'INTERNAL');
    clock.t += 1_000;
    pool.lowerPriority('a@x', 'm', 'INTERNAL');
    pool.lowerPriority('c@x', 'm', 'INTERNAL');
    expect([pick(), pick(), pick()]).toEqual(['b@x', 'b@x', 'b@x']);
  });

  it('returns the credential to the rotation once the moment has passed', () => {
    const { pool, pick, clock } = setup([oauth('a@x'), oauth('b@x')]);
    pool.lowerPriority('a@x', 'm', 'UNAVAILABLE');
    clock.t += PASSING_FAULT_MS;
    expect(new Set([pick(), pick()])).toEqual(new Set(['a@x', 'b@x']));
  });

  it('never makes a pool of faulted credentials answer all-cooling', () => {
    const { pool } = setup([oauth('a@x'), oauth('b@x')]);
    for (let i = 0; i < 5; i++) {
      pool.lowerPriority('a@x', 'm', 'UNAVAILABLE');
      pool.lowerPriority('b@x', 'm', 'UNAVAILABLE');
    }
    expect(pool.select({ model: 'm' }).outcome).toBe('selected');
  });

  it('leaves a running rate limit alone: a passing fault neither shortens nor replaces it', () => {
    const { pool, pick, clock } = setup([oauth('a@x')]);
    pool.cool('a@x', 'm', 'RATE_LIMIT_EXCEEDED', clock.t + 30_000, RATE_LIMIT_BACKOFF);
    expect(pool.lowerPriority('a@x', 'm', 'UNAVAILABLE')).toBeUndefined();
    expect(pick()).toBe('all-cooling');
    expect(pool.status()[0].cooldowns).toEqual([
      expect.objectContaining({ kind: 'rate-limit', remainingMs: 30_000 }),
    ]);
  });

  it('lets a rate limit replace a passing fault, and the credential is then ineligible', () => {
    const { pool, pick } = setup([oauth('a@x')]);
    pool.lowerPriority('a@x', 'm', 'UNAVAILABLE');
    pool.cool('a@x', 'm', 'RATE_LIMIT_EXCEEDED', undefined, RATE_LIMIT_BACKOFF);
    expect(pick()).toBe('all-cooling');
  });
});

describe('CredentialPool strikes', () => {
  it('adds no strike while a limit is running: concurrent 429s are one strike', () => {
    const { pool, clock } = setup([oauth('a@x')]);
    const first = pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF);
    expect(pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF)).toBe(first);
    expect(pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF)).toBe(first);
    clock.t = first + 1;
    expect(pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF) - clock.t).toBe(
      RATE_LIMIT_BACKOFF.baseMs * 2,
    );
  });

  it('extends a running limit to a later delay that Google names', () => {
    const { pool, clock } = setup([oauth('a@x')]);
    pool.cool('a@x', 'm', 'r', clock.t + 5_000, RATE_LIMIT_BACKOFF);
    expect(pool.cool('a@x', 'm', 'r', clock.t + 40_000, RATE_LIMIT_BACKOFF)).toBe(clock.t + 40_000);
  });

  it('keeps the strikes of a limit through a passing fault that followed it', () => {
    const { pool, clock } = setup([oauth('a@x')]);
    const first = pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF);
    clock.t = first + 1;
    pool.lowerPriority('a@x', 'm', 'UNAVAILABLE');
    expect(pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF) - clock.t).toBe(
      RATE_LIMIT_BACKOFF.baseMs * 2,
    );
  });

  it('forgets the strikes once they no longer matter, and starts the backoff afresh', () => {
    const { pool, clock } = setup([oauth('a@x')]);
    const first = pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF);
    clock.t = first + STRIKE_MEMORY_MS;
    expect(pool.cool('a@x', 'm', 'r', undefined, RATE_LIMIT_BACKOFF) - clock.t).toBe(
      RATE_LIMIT_BACKOFF.baseMs,
    );
  });
});

describe('CredentialPool state bounds', () => {
  it('prunes entries that are over and whose strikes no longer count', () => {
    const { pool, clock, store } = setup([oauth('a@x')]);
    for (let i = 0; i < 10; i++)
      pool.cool('a@x', `m${i}`, 'NOT_FOUND', undefined, MODEL_UNAVAILABLE_BACKOFF);
    pool.lowerPriority('a@x', 'x', 'UNAVAILABLE');
    clock.t += MODEL_UNAVAILABLE_BACKOFF.baseMs + STRIKE_MEMORY_MS;
    expect(pool.status()[0].cooldowns).toEqual([]);
    expect(store.getCooldowns('a@x').size).toBe(0);
  });

  it('keeps at most MAX_MODEL_ENTRIES models per credential, dropping those that end first', () => {
    const { pool, clock, store } = setup([oauth('a@x')]);
    for (let i = 0; i < MAX_MODEL_ENTRIES * 4; i++) {
      pool.cool('a@x', `model-${i}`, 'r', clock.t + 60_000 + i, RATE_LIMIT_BACKOFF);
    }
    const kept = [...store.getCooldowns('a@x').keys()];
    expect(kept).toHaveLength(MAX_MODEL_ENTRIES);
    expect(kept).toContain(`model-${MAX_MODEL_ENTRIES * 4 - 1}`);
    expect(kept).not.toContain('model-0');
  });

  it('never drops a whole-credential limit to make room for model entries', () => {
    const { pool, clock, pick } = setup([oauth('a@x')]);
    pool.cool(
      'a@x',
      ALL_MODELS,
      'INSUFFICIENT_G1_CREDITS_BALANCE',
      clock.t + 1_000,
      RATE_LIMIT_BACKOFF,
    );
    for (let i = 0; i < MAX_MODEL_ENTRIES * 2; i++) {
      pool.cool('a@x', `model-${i}`, 'r', clock.t + 60_000, RATE_LIMIT_BACKOFF);
    }
    expect(pick('unrelated')).toBe('all-cooling');
  });
});
