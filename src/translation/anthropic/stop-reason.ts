import { classifyFinish } from '../common/finish';
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
  if (hasToolUse) return 'tool_use';
  if (blocked) return 'refusal';
  switch (classifyFinish(reason)) {
    case 'length':
      return 'max_tokens';
    case 'filtered':
      return 'refusal';
    case 'stop':
      return 'end_turn';
  }
}
