import { ApiError } from '../../errors/api-error';
import type { GeminiGenerationConfig } from '../../upstream/gemini-types';
import type { GoogleOptions } from '../common/google-extras';
import { ParsedModelName, thinkingConfigFor } from '../../models/model-names';
import type { OpenAIChatRequest, ReasoningEffort } from './openai-types';
import { isRecord } from '../../json/is-record';

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

type NumericKey =
  | 'temperature'
  | 'top_p'
  | 'max_tokens'
  | 'max_completion_tokens'
  | 'n'
  | 'seed'
  | 'presence_penalty'
  | 'frequency_penalty';

function numberParam(req: OpenAIChatRequest, key: NumericKey, integer = false): number | undefined {
  const value: unknown = req[key];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value))
  ) {
    throw ApiError.badRequest(`${key} must be ${integer ? 'an integer' : 'a number'}.`, key);
  }
  return value;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = typeof stop === 'string' ? [stop] : stop;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    throw ApiError.badRequest('stop must be a string or an array of strings.', 'stop');
  }
  const kept = list.filter((s: string) => s.length > 0);
  return kept.length > 0 ? kept : undefined;
}

function applyResponseFormat(format: unknown, cfg: GeminiGenerationConfig): void {
  if (format === undefined || format === null) return;
  const type = isRecord(format) ? format.type : undefined;
  switch (type) {
    case 'text':
      return;
    case 'json_object':
      cfg.responseMimeType = 'application/json';
      return;
    case 'json_schema': {
      cfg.responseMimeType = 'application/json';
      const spec = isRecord(format) ? format.json_schema : undefined;
      const schema = isRecord(spec) ? spec.schema : undefined;
      // responseJsonSchema takes JSON Schema as written ($ref, $defs, additionalProperties), which
      // responseSchema's OpenAPI subset rejects. Code Assist forwards it too (gemini-cli sends it in
      // the same envelope); some third-party backends want responseSchema instead (peers §4.8).
      if (isRecord(schema)) cfg.responseJsonSchema = schema;
      return;
    }
    default:
      throw ApiError.badRequest(
        'response_format.type must be one of text, json_object, json_schema.',
        'response_format.type',
      );
  }
}

function reasoningEffort(value: unknown): ReasoningEffort | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (EFFORTS as string[]).includes(value)) {
    return value as ReasoningEffort;
  }
  throw ApiError.badRequest(
    `reasoning_effort must be one of ${EFFORTS.join(', ')}.`,
    'reasoning_effort',
  );
}

/** OpenAI sampling and output options → Gemini `generationConfig`, or undefined when none apply. */
export function toGenerationConfig(
  req: OpenAIChatRequest,
  model: ParsedModelName,
  google: GoogleOptions,
): GeminiGenerationConfig | undefined {
  const cfg: GeminiGenerationConfig = {};
  const temperature = numberParam(req, 'temperature');
  if (temperature !== undefined) cfg.temperature = temperature;
  const topP = numberParam(req, 'top_p');
  if (topP !== undefined) cfg.topP = topP;

  const maxTokens =
    numberParam(req, 'max_completion_tokens', true) ?? numberParam(req, 'max_tokens', true);
  if (maxTokens !== undefined) cfg.maxOutputTokens = maxTokens;

  const stop = stopSequences(req.stop);
  if (stop) cfg.stopSequences = stop;

  const n = numberParam(req, 'n', true);
  if (n !== undefined && n < 1) throw ApiError.badRequest('n must be at least 1.', 'n');
  if (n !== undefined && n > 1) cfg.candidateCount = n;

  const seed = numberParam(req, 'seed', true);
  if (seed !== undefined) cfg.seed = seed;

  // Zero is Gemini's default, and some Gemini models answer 400 "Penalty is not enabled" to any
  // penalty at all; LangChain and others send 0 on every request, so zero is not forwarded.
  const presence = numberParam(req, 'presence_penalty');
  if (presence) cfg.presencePenalty = presence;
  const frequency = numberParam(req, 'frequency_penalty');
  if (frequency) cfg.frequencyPenalty = frequency;

  applyResponseFormat(req.response_format, cfg);

  const effort = reasoningEffort(req.reasoning_effort);
  const thinking =
    google.thinkingConfig ?? thinkingConfigFor(model.base, { effort, variant: model.thinking });
  if (thinking) cfg.thinkingConfig = thinking;

  return Object.keys(cfg).length > 0 ? cfg : undefined;
}
