import { classifyFinish } from '../common/finish';
import type { FinishReason } from './openai-types';

const FINISH_REASONS = { stop: 'stop', length: 'length', filtered: 'content_filter' } as const;

/**
 * Gemini's finishReason → OpenAI's. Gemini says STOP after function calls, and agent clients
 * (opencode, Cline) only run tools on `tool_calls`, so calls decide first.
 */
export function mapFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  return FINISH_REASONS[classifyFinish(reason)];
}
