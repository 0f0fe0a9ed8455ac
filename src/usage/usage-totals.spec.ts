import type { UsageRow } from './usage-row';
import { bucketStart, totalsOf } from './usage-totals';

const HOUR = 3_600_000;
const base = Date.UTC(2026, 11, 7, 10, 30);

function row(overrides: Partial<UsageRow>): UsageRow {
  return {
    id: 'x',
    time: base,
    request_id: 'x',
    client: 'password',
    dialect: 'chat',
    requested_model: 'gpt-5',
    served_model: 'gemini-2.5-pro',
    credential: 'key...aaaaa',
    attempts: 1,
    status: 200,
    prompt_tokens: 10,
    output_tokens: 5,
    thought_tokens: 1,
    cached_tokens: 2,
    duration_ms: 100,
    ttfb_ms: null,
    usage_missing: 0,
    error_reason: null,
    ...overrides,
  };
}

describe('bucketStart', () => {
  it('is the start of the UTC hour or day', () => {
    expect(bucketStart(base, 'hour')).toBe(Date.UTC(2026, 11, 7, 10));
    expect(bucketStart(base, 'day')).toBe(Date.UTC(2026, 11, 7));
  });
});

describe('totalsOf', () => {
  it('folds a batch into one total per bucket and key, so an upsert touches each row once', () => {
    const totals = totalsOf(
      [
        row({}),
        row({
          status: 429,
          prompt_tokens: 0,
          output_tokens: 0,
          thought_tokens: 0,
          cached_tokens: 0,
        }),
        row({ time: base + HOUR }),
        row({ credential: null, served_model: null, requested_model: null, status: 400 }),
      ],
      'hour',
    );
    expect(totals).toEqual([
      expect.objectContaining({
        bucket_start: Date.UTC(2026, 11, 7, 10),
        credential: 'key...aaaaa',
        model: 'gemini-2.5-pro',
        requests: 2,
        rate_limited: 1,
        errors: 0,
        prompt_tokens: 10,
        cached_tokens: 2,
      }),
      expect.objectContaining({ bucket_start: Date.UTC(2026, 11, 7, 11), requests: 1 }),
      expect.objectContaining({ credential: 'none', model: 'none', requests: 1, errors: 1 }),
    ]);
    expect(totalsOf([row({}), row({ time: base + HOUR })], 'day')).toHaveLength(1);
  });
});
