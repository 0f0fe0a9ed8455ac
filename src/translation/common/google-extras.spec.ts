import { readGoogleExtras } from './google-extras';

describe('readGoogleExtras', () => {
  it('reads snake_case keys as Google’s OpenAI endpoint documents them', () => {
    expect(
      readGoogleExtras({
        google: {
          thinking_config: { thinking_budget: 1024, include_thoughts: true },
          cached_content: 'cachedContents/a',
        },
      }),
    ).toEqual({
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
      cachedContent: 'cachedContents/a',
    });
  });

  it('reads camelCase keys as the Gemini SDKs write them', () => {
    expect(readGoogleExtras({ google: { thinkingConfig: { thinkingLevel: 'low' } } })).toEqual({
      thinkingConfig: { thinkingLevel: 'low' },
    });
  });

  it('reads a literal extra_body.google from clients that post raw JSON', () => {
    expect(readGoogleExtras({ extra_body: { google: { task_type: 'RETRIEVAL_QUERY' } } })).toEqual({
      taskType: 'RETRIEVAL_QUERY',
    });
  });

  it('returns nothing when no google object is sent', () => {
    expect(readGoogleExtras({})).toEqual({});
  });

  it.each([
    ['a non-object google', { google: 'x' }, 'google'],
    ['a non-object thinking_config', { google: { thinking_config: 5 } }, 'google.thinking_config'],
    [
      'safety settings without thresholds',
      { google: { safety_settings: [{ category: 'X' }] } },
      'google.safety_settings',
    ],
    ['a numeric cached_content', { google: { cached_content: 1 } }, 'google.cached_content'],
  ])('rejects %s naming the field', (_, req, param) => {
    expect(() => readGoogleExtras(req as never)).toThrow(
      expect.objectContaining({ status: 400, param }),
    );
  });
});
