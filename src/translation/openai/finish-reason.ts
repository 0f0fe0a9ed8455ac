import type { FinishReason } from './openai-types';

// Gemini stops for these when its filters, not the model, ended the answer.
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * Gemini's finishReason → OpenAI's. Gemini says STOP after function calls, and agent clients
 * (opencode, Cline) only run tools on `tool_calls`, so calls decide first.
 */
export function mapFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && FILTERED.has(reason)) return 'content_filter';
  return 'stop';
}
