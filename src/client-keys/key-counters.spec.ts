import type { ClientKey } from './client-key';
import { MemoryKeyCounters, untilNextDay, untilNextMonth } from './key-counters';

function key(limits: Partial<ClientKey>): ClientKey {
  return {
    id: 'ck_test',
    name: 'test',
    models: null,
    allowed: null,
    rpm: null,
    tpm: null,
    daily_tokens: null,
    monthly_tokens: null,
    expires_at: null,
    ...limits,
  };
}

describe('MemoryKeyCounters', () => {
  const t0 = Date.UTC(2026, 11, 7, 23, 59, 0);

  it('slides the rpm window: the oldest request leaving it makes room, and says when', async () => {
    const counters = new MemoryKeyCounters();
    const k = key({ rpm: 2 });
    expect(counters.admit(k, t0)).toBeUndefined();
    expect(counters.admit(k, t0 + 10_000)).toBeUndefined();
    expect(counters.admit(k, t0 + 20_000)).toEqual({ limit: 'rpm', retryAfterMs: 40_000 });
    expect(counters.admit(k, t0 + 60_001)).toBeUndefined();
  });

  it('admits while under a token limit and refuses once the answers took it over', async () => {
    const counters = new MemoryKeyCounters();
    const k = key({ tpm: 100, daily_tokens: 150 });
    expect(counters.admit(k, t0)).toBeUndefined();
    await counters.addTokens(k.id, 120, t0);
    expect(counters.admit(k, t0 + 1_000)?.limit).toBe('tpm');
    // Still inside the minute: refused; the tokens count for the day too.
    expect(counters.admit(k, t0 + 50_000)).toMatchObject({ limit: 'tpm' });
    await counters.addTokens(k.id, 0, t0 + 59_000);
    expect(await counters.usage(k.id, t0 + 59_500)).toMatchObject({ daily_tokens: 120 });
  });

  it('starts the day and the month again at UTC midnight', async () => {
    const counters = new MemoryKeyCounters();
    const k = key({ daily_tokens: 10, monthly_tokens: 1_000 });
    await counters.addTokens(k.id, 10, t0);
    expect(counters.admit(k, t0 + 1_000)).toEqual({
      limit: 'daily_tokens',
      retryAfterMs: untilNextDay(t0 + 1_000),
    });
    expect(counters.admit(k, t0 + 61_000)).toBeUndefined();
    expect(untilNextDay(t0)).toBe(60_000);
    expect(untilNextMonth(Date.UTC(2026, 11, 31, 23, 0))).toBe(3_600_000);
  });
});
