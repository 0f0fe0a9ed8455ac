import type { GeminiUsageMetadata } from '../../upstream/gemini-types';

/** Gemini's usage counted the way every dialect reports it, before each names the fields. */
export interface TokenCounts {
  input: number;
  cachedInput: number;
  output: number;
  reasoning: number;
  total: number;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Thinking tokens are billed as output, so they count as output and are also reported as
 * reasoning; tokens of tool-use prompts (search results) count as input. Total is their sum, as
 * OpenAI-style clients assume.
 */
export function countTokens(usage: GeminiUsageMetadata | undefined): TokenCounts {
  const input = count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount);
  const reasoning = count(usage?.thoughtsTokenCount);
  const output = count(usage?.candidatesTokenCount) + reasoning;
  return {
    input,
    cachedInput: count(usage?.cachedContentTokenCount),
    output,
    reasoning,
    total: input + output,
  };
}
