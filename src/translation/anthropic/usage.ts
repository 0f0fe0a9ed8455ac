import type { GeminiUsageMetadata } from '../../upstream/gemini-types';
import type { AnthropicUsage } from './anthropic-types';

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Gemini usage → Anthropic's. Anthropic's input_tokens excludes cache reads, which it reports
 * apart; thinking tokens are billed as output.
 */
export function toAnthropicUsage(usage: GeminiUsageMetadata | undefined): AnthropicUsage {
  const cached = count(usage?.cachedContentTokenCount);
  const prompt = count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount);
  return {
    input_tokens: Math.max(0, prompt - cached),
    output_tokens: count(usage?.candidatesTokenCount) + count(usage?.thoughtsTokenCount),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
