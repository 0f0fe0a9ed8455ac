import type { CompletedRequest } from '../logging/request-record';
import { dialectOf, outcomeOf, toUsageRow } from './usage-row';

function completed(overrides: Partial<CompletedRequest> = {}): CompletedRequest {
  return {
    method: 'POST',
    route: '/v1/chat/completions',
    startedAt: 0,
    attempts: 1,
    model: 'gemini-2.5-pro',
    credentialId: 'key...aaaaa',
    status: 200,
    durationMs: 250.4,
    aborted: false,
    ...overrides,
  };
}

describe('dialectOf', () => {
  it.each([
    ['POST', '/v1/chat/completions', 'chat'],
    ['POST', '/v1/responses', 'responses'],
    ['POST', '/v1/responses/input_tokens', 'responses'],
    ['POST', '/v1/messages', 'messages'],
    ['POST', '/v1/messages/count_tokens', 'messages'],
    ['POST', '/v1/embeddings', 'embeddings'],
    ['POST', '/v1beta/models/:modelAction', 'native'],
    ['POST', '/v1/images/generations', 'images'],
    ['POST', '/v1/audio/speech', 'audio'],
    ['GET', '/v1/models', undefined],
    ['GET', '/v1/responses/:id', undefined],
    ['GET', '/admin', undefined],
    ['POST', 'unmatched', undefined],
  ])('%s %s is %s', (method, route, dialect) => {
    expect(dialectOf(method, route)).toBe(dialect);
  });
});

describe('toUsageRow', () => {
  it("takes Google's counts, the models, the credential and the timings", () => {
    const row = toUsageRow(
      completed({
        requestedModel: 'gpt-5',
        tokens: { prompt: 12, completion: 40, thoughts: 7, cached: 4 },
        firstTokenMs: 80.6,
        stream: 'complete',
        requestId: 'req_1',
      }),
      10_000,
    );
    expect(row).toMatchObject({
      time: 9_750,
      request_id: 'req_1',
      client: 'password',
      dialect: 'chat',
      requested_model: 'gpt-5',
      served_model: 'gemini-2.5-pro',
      credential: 'key...aaaaa',
      prompt_tokens: 12,
      output_tokens: 40,
      thought_tokens: 7,
      cached_tokens: 4,
      duration_ms: 250,
      ttfb_ms: 81,
      usage_missing: 0,
      error_reason: null,
    });
  });

  it('marks a stream that ended before its usage instead of counting zeros', () => {
    expect(toUsageRow(completed({ stream: 'error' }), 0)).toMatchObject({
      usage_missing: 1,
      error_reason: 'stream-error',
    });
    expect(toUsageRow(completed({ stream: 'aborted', aborted: true }), 0)).toMatchObject({
      usage_missing: 1,
      status: 499,
      error_reason: 'client-closed',
    });
  });

  it('does not mark answers that never carry usage (embeddings, token counts)', () => {
    expect(toUsageRow(completed({ route: '/v1/embeddings' }), 0)?.usage_missing).toBe(0);
  });

  it('keeps the reason a failed dispatch gave', () => {
    expect(
      toUsageRow(completed({ status: 429, errorReason: 'RESOURCE_EXHAUSTED' }), 0)?.error_reason,
    ).toBe('RESOURCE_EXHAUSTED');
    expect(toUsageRow(completed({ status: 400 }), 0)?.error_reason).toBe('http-400');
  });

  it('leaves out requests refused before the caller was known, and routes that call no model', () => {
    expect(toUsageRow(completed({ status: 401 }), 0)).toBeUndefined();
    expect(toUsageRow(completed({ method: 'GET', route: '/v1/models' }), 0)).toBeUndefined();
  });
});

describe('outcomeOf', () => {
  it.each([
    [200, null, { errors: 0, rateLimited: 0 }],
    [429, 'RESOURCE_EXHAUSTED', { errors: 0, rateLimited: 1 }],
    [503, 'UNAVAILABLE', { errors: 1, rateLimited: 0 }],
    [200, 'stream-error', { errors: 1, rateLimited: 0 }],
    [499, 'client-closed', { errors: 0, rateLimited: 0 }],
  ])('status %s (%s) counts as %j', (status, error_reason, outcome) => {
    expect(outcomeOf({ status, error_reason })).toEqual(outcome);
  });
});
