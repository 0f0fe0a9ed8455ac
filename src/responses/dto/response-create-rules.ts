import { modelNameProblem } from '../../models/model-names';
import {
  belowMinimum,
  invalidType,
  invalidValue,
  missing,
  RequestProblem,
} from '../../errors/request-problem';
import { isRecord } from '../../json/is-record';

/** A request problem, or a parameter the proxy refuses because the client would lose what it asked. */
export type CreateProblem =
  RequestProblem | { param: string; message: string; code: 'unsupported_parameter' };

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
const SUMMARIES = ['auto', 'concise', 'detailed'] as const;
const FORMATS = ['text', 'json_object', 'json_schema'] as const;

const absent = (v: unknown) => v === undefined || v === null;

function unsupported(param: string, why: string): CreateProblem {
  return {
    param,
    message: `'${param}' is not supported by this proxy: ${why}`,
    code: 'unsupported_parameter',
  };
}

type Rule = (body: Record<string, unknown>) => CreateProblem | undefined;

const typeRule =
  (key: string, expected: string, ok: (v: unknown) => boolean): Rule =>
  (body) =>
    absent(body[key]) || ok(body[key]) ? undefined : invalidType(key, expected, body[key]);

const isString = (v: unknown) => typeof v === 'string';
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown) => typeof v === 'boolean';

/**
 * What `POST /v1/responses` (and `input_tokens`) must satisfy before mapping: field types, and
 * the few parameters refused because Gemini cannot honour them and the client would otherwise
 * silently lose what it asked for (stored prompts, conversations, background runs, logprobs).
 * Everything else agents send is accepted; fields with no Gemini equivalent are ignored.
 */
const RULES: Rule[] = [
  (body) =>
    typeof body.model === 'string' && body.model
      ? undefined
      : absent(body.model)
        ? missing('model')
        : invalidType('model', 'a non-empty string', body.model),
  (body) => {
    const problem = typeof body.model === 'string' ? modelNameProblem(body.model) : undefined;
    return problem
      ? { param: 'model', message: `Invalid 'model': ${problem}`, code: 'invalid_value' }
      : undefined;
  },
  typeRule('input', 'a string or an array', (v) => typeof v === 'string' || Array.isArray(v)),
  typeRule('instructions', 'a string', isString),
  typeRule('tools', 'an array', Array.isArray),
  typeRule('parallel_tool_calls', 'a boolean', isBoolean),
  typeRule('temperature', 'a number', isNumber),
  typeRule('top_p', 'a number', isNumber),
  typeRule('max_output_tokens', 'an integer', Number.isInteger),
  // The type and the bound are told apart: "expected an integer, but got an integer" helps nobody.
  (body) =>
    typeof body.max_output_tokens === 'number' && body.max_output_tokens < 1
      ? belowMinimum('max_output_tokens', 1, body.max_output_tokens)
      : undefined,
  typeRule('previous_response_id', 'a string', isString),
  typeRule('store', 'a boolean', isBoolean),
  typeRule('stream', 'a boolean', isBoolean),
  typeRule('metadata', 'an object', isRecord),
  typeRule('include', 'an array of strings', (v) => Array.isArray(v) && v.every(isString)),
  typeRule('reasoning', 'an object', isRecord),
  typeRule('text', 'an object', isRecord),
  (body) => {
    const reasoning = isRecord(body.reasoning) ? body.reasoning : {};
    if (!absent(reasoning.effort) && !(EFFORTS as readonly unknown[]).includes(reasoning.effort)) {
      return invalidValue('reasoning.effort', reasoning.effort, EFFORTS);
    }
    if (
      !absent(reasoning.summary) &&
      !(SUMMARIES as readonly unknown[]).includes(reasoning.summary)
    ) {
      return invalidValue('reasoning.summary', reasoning.summary, SUMMARIES);
    }
    return undefined;
  },
  (body) => {
    const format = isRecord(body.text) ? body.text.format : undefined;
    if (absent(format)) return undefined;
    if (!isRecord(format)) return invalidType('text.format', 'an object', format);
    if (!(FORMATS as readonly unknown[]).includes(format.type)) {
      return invalidValue('text.format.type', format.type, FORMATS);
    }
    if (format.type === 'json_schema' && !isRecord(format.schema)) {
      return absent(format.schema)
        ? missing('text.format.schema')
        : invalidType('text.format.schema', 'an object', format.schema);
    }
    return undefined;
  },
  (body) =>
    absent(body.conversation)
      ? undefined
      : unsupported(
          'conversation',
          'the Conversations API is not served; use previous_response_id.',
        ),
  (body) =>
    absent(body.prompt)
      ? undefined
      : unsupported(
          'prompt',
          'stored prompt templates live on OpenAI; send instructions and input.',
        ),
  (body) =>
    body.background === true
      ? unsupported('background', 'background responses are not served; stream instead.')
      : undefined,
  (body) =>
    typeof body.top_logprobs === 'number' && body.top_logprobs > 0
      ? unsupported('top_logprobs', 'Gemini returns no log probabilities through this proxy.')
      : undefined,
  (body) =>
    Array.isArray(body.include) && body.include.includes('message.output_text.logprobs')
      ? unsupported('include', "'message.output_text.logprobs' is not available from Gemini.")
      : undefined,
];

export function findCreateProblem(body: Record<string, unknown>): CreateProblem | undefined {
  for (const rule of RULES) {
    const problem = rule(body);
    if (problem) return problem;
  }
  return undefined;
}
