import { mapFinishReason } from '../openai/finish-reason';
import type { AnthropicStopReason } from './anthropic-types';

/**
 * Gemini's finish → Anthropic's stop_reason. Calls decide first (Gemini says STOP after them and
 * Claude Code runs tools only on `tool_use`); Gemini's STOP also covers stop sequences, which it
 * does not name, so `stop_sequence` is never reported.
 */
export function toStopReason(
  reason: string | undefined,
  hasToolUse: boolean,
  blocked: boolean,
): AnthropicStopReason {
  if (blocked && !hasToolUse) return 'refusal';
  switch (mapFinishReason(reason, hasToolUse)) {
    case 'tool_calls':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    case 'stop':
      return 'end_turn';
  }
}
