import { randomBytes } from 'node:crypto';
import type { GeminiUsageMetadata } from '../../upstream/gemini-types';
import { classifyFinish } from '../common/finish';
import { countTokens } from '../common/usage';
import type {
  ResponseCreateRequest,
  ResponseError,
  ResponseObject,
  ResponsesUsage,
} from './responses-types';

export const newResponseId = (): string => `resp_${randomBytes(16).toString('hex')}`;

/** The response as it starts: `in_progress`, no output, the request's settings echoed. */
export function responseSkeleton(
  req: ResponseCreateRequest,
  id: string,
  createdAt: number,
): ResponseObject {
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: 'in_progress',
    completed_at: null,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: typeof req.instructions === 'string' ? req.instructions : null,
    max_output_tokens: req.max_output_tokens ?? null,
    model: req.model,
    output: [],
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: req.previous_response_id ?? null,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
    store: req.store ?? true,
    temperature: req.temperature ?? 1,
    text: req.text ? { format: { type: 'text' }, ...req.text } : { format: { type: 'text' } },
    tool_choice: req.tool_choice ?? 'auto',
    tools: Array.isArray(req.tools) ? req.tools : [],
    top_p: req.top_p ?? 1,
    truncation: req.truncation ?? 'disabled',
    usage: null,
    metadata: req.metadata ?? {},
    service_tier: 'default',
    ...(typeof req.user === 'string' ? { user: req.user } : {}),
  };
}

/** Gemini usage → Responses usage, on the shared counting rules (thoughts are output). */
export function toResponsesUsage(usage: GeminiUsageMetadata | undefined): ResponsesUsage {
  const tokens = countTokens(usage);
  return {
    input_tokens: tokens.input,
    input_tokens_details: { cached_tokens: tokens.cachedInput },
    output_tokens: tokens.output,
    output_tokens_details: { reasoning_tokens: tokens.reasoning },
    total_tokens: tokens.total,
  };
}

export type TerminalState =
  | { status: 'completed' }
  | { status: 'incomplete'; reason: 'max_output_tokens' | 'content_filter' }
  | { status: 'failed'; error: ResponseError };

// Gemini gave up on the answer itself: nothing usable came back, so the response failed.
const FAILED: Record<string, string> = {
  MALFORMED_FUNCTION_CALL: 'Gemini produced a malformed function call.',
  UNEXPECTED_TOOL_CALL: 'Gemini called a tool that was not declared.',
  OTHER: 'Gemini stopped for an unspecified reason.',
};

/** Gemini's finishReason (or a blocked prompt) → the Responses status. */
export function terminalState(finishReason: string | undefined, blocked: boolean): TerminalState {
  if (blocked) return { status: 'incomplete', reason: 'content_filter' };
  if (finishReason && FAILED[finishReason]) {
    return {
      status: 'failed',
      error: { code: 'server_error', message: `${FAILED[finishReason]} (${finishReason})` },
    };
  }
  switch (classifyFinish(finishReason)) {
    case 'length':
      return { status: 'incomplete', reason: 'max_output_tokens' };
    case 'filtered':
      return { status: 'incomplete', reason: 'content_filter' };
    case 'stop':
      return { status: 'completed' };
  }
}
