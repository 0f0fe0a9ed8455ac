import type { GeminiUsageMetadata } from '../../upstream/gemini-types';
import { countTokens } from '../common/usage';
import type { ChatCompletionUsage } from './openai-types';

/** Gemini usage → OpenAI usage, on the shared counting rules (thoughts are output). */
export function toOpenAIUsage(usage: GeminiUsageMetadata | undefined): ChatCompletionUsage {
  const tokens = countTokens(usage);
  return {
    prompt_tokens: tokens.input,
    completion_tokens: tokens.output,
    total_tokens: tokens.total,
    prompt_tokens_details: { cached_tokens: tokens.cachedInput },
    completion_tokens_details: { reasoning_tokens: tokens.reasoning },
  };
}
