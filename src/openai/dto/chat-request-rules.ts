import { aModelName } from './model-name-rule';
import type { ReasoningEffort } from '../../translation/openai/openai-types';
import { findMessageProblem } from './chat-message-rules';
import { stopProblem, toolChoiceProblem } from './chat-option-rules';
import {
  aBoolean,
  aNonEmptyString,
  aNumber,
  anArrayOf,
  anInteger,
  anObject,
  anObjectWith,
  aString,
  byRule,
  Check,
  FieldChecks,
  fieldsProblem,
  oneOf,
  optional,
  required,
} from './field-checks';
import { RequestProblem } from '../../errors/request-problem';

const REASONING_EFFORTS: readonly ReasoningEffort[] = [
  'none',
  'minimal',
  'low',
  'medium',
  'high',
  'xhigh',
];
/** Gemini's candidateCount limit. */
export const MAX_CHOICES = 8;

const FUNCTION_TOOL: FieldChecks = [
  ['type', required(oneOf(['function']))],
  [
    'function',
    required(
      anObjectWith([
        ['name', required(aNonEmptyString)],
        ['description', optional(aString)],
        ['parameters', optional(anObject)],
        ['strict', optional(aBoolean)],
      ]),
    ),
  ],
];

const JSON_SCHEMA_FORMAT = anObjectWith([
  ['name', optional(aString)],
  ['description', optional(aString)],
  ['schema', optional(anObject)],
  ['strict', optional(aBoolean)],
]);

/** `response_format`: its json_schema is required only when the type says json_schema. */
const responseFormat: Check = (value, param) =>
  anObjectWith([
    ['type', required(oneOf(['text', 'json_object', 'json_schema']))],
    [
      'json_schema',
      (schema, at) =>
        (value as { type?: unknown }).type === 'json_schema'
          ? required(JSON_SCHEMA_FORMAT)(schema, at)
          : undefined,
    ],
  ])(value, param);

/**
 * `POST /v1/chat/completions`. Fields the proxy does not use (logprobs, metadata, store, …) are
 * accepted and ignored, as a drop-in for OpenAI must; nothing is copied, so megabytes of base64
 * in the messages are walked once, in place.
 */
const CHAT_REQUEST: FieldChecks = [
  ['model', required(aModelName)],
  ['messages', byRule(findMessageProblem)],
  ['tools', optional(anArrayOf(anObjectWith(FUNCTION_TOOL)))],
  ['tool_choice', byRule(toolChoiceProblem)],
  ['parallel_tool_calls', optional(aBoolean)],
  ['temperature', optional(aNumber({ min: 0, max: 2 }))],
  ['top_p', optional(aNumber({ min: 0, max: 1 }))],
  ['max_tokens', optional(anInteger({ min: 1 }))],
  ['max_completion_tokens', optional(anInteger({ min: 1 }))],
  ['stop', byRule(stopProblem)],
  [
    'n',
    optional(anInteger({ min: 1, max: MAX_CHOICES, maxReason: "Gemini's candidateCount limit" })),
  ],
  ['seed', optional(anInteger())],
  ['presence_penalty', optional(aNumber({ min: -2, max: 2 }))],
  ['frequency_penalty', optional(aNumber({ min: -2, max: 2 }))],
  ['response_format', optional(responseFormat)],
  ['reasoning_effort', optional(oneOf(REASONING_EFFORTS))],
  ['stream', optional(aBoolean)],
  ['stream_options', optional(anObjectWith([['include_usage', optional(aBoolean)]]))],
  ['web_search_options', optional(anObject)],
  ['user', optional(aString)],
  ['google', optional(anObject)],
  ['extra_body', optional(anObject)],
];

/** The first thing wrong with a chat completion body, or undefined when it is well formed. */
export function findChatRequestProblem(body: Record<string, unknown>): RequestProblem | undefined {
  return fieldsProblem(body, CHAT_REQUEST);
}
