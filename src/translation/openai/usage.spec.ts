import { toOpenAIUsage } from './usage';

describe('toOpenAIUsage', () => {
  it('reports cached prompt tokens', () => {
    const usage = toOpenAIUsage({
      promptTokenCount: 40_000,
      cachedContentTokenCount: 32_768,
      candidatesTokenCount: 10,
    });
    expect(usage.prompt_tokens_details).toEqual({ cached_tokens: 32_768 });
  });

  it('counts Google Search tool-use tokens as prompt tokens', () => {
    const usage = toOpenAIUsage({
      promptTokenCount: 10,
      toolUsePromptTokenCount: 250,
      candidatesTokenCount: 50,
      totalTokenCount: 310,
    });
    expect([usage.prompt_tokens, usage.total_tokens]).toEqual([260, 310]);
  });

  it('gives zeros when Gemini sends no usage', () => {
    expect(toOpenAIUsage(undefined)).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });
});
