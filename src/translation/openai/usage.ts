import type { GeminiUsageMetadata } from '../../upstream/gemini-types';
import type { ChatCompletionUsage } from './openai-types';

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Gemini usage → OpenAI usage. Thinking tokens are billed as output, so they count as completion
 * tokens and are also reported as reasoning tokens; tokens of tool-use prompts (search results)
 * count as prompt tokens. Total is their sum, as OpenAI clients assume.
 */
export function toOpenAIUsage(usage: GeminiUsageMetadata | undefined): ChatCompletionUsage {
  const prompt = count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount);
  const reasoning = count(usage?.thoughtsTokenCount);
  const completion = count(usage?.candidatesTokenCount) + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(usage?.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}
