import { ApiError } from '../../errors/api-error';
import type { GeminiGenerationConfig } from '../../upstream/gemini-types';
import { OutputFormat, toGeminiGenerationConfig } from '../common/generation-config';
import type { GoogleOptions } from '../common/google-extras';
import type { ParsedModelName } from '../../models/model-names';
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

function outputFormat(format: unknown): OutputFormat | undefined {
  if (format === undefined || format === null) return undefined;
  const type = isRecord(format) ? format.type : undefined;
  switch (type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { kind: 'json' };
    case 'json_schema': {
      const spec = isRecord(format) ? format.json_schema : undefined;
      const schema = isRecord(spec) ? spec.schema : undefined;
      return { kind: 'json_schema', schema: isRecord(schema) ? schema : undefined };
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
  // Read in this order so that, of two bad fields, the same one is named as before.
  const temperature = numberParam(req, 'temperature');
  const topP = numberParam(req, 'top_p');
  const maxTokens =
    numberParam(req, 'max_completion_tokens', true) ?? numberParam(req, 'max_tokens', true);
  const stop = stopSequences(req.stop);
  const n = numberParam(req, 'n', true);
  if (n !== undefined && n < 1) throw ApiError.badRequest('n must be at least 1.', 'n');
  const seed = numberParam(req, 'seed', true);
  // Zero is Gemini's default, and some Gemini models answer 400 "Penalty is not enabled" to any
  // penalty at all; LangChain and others send 0 on every request, so zero is not forwarded.
  const presence = numberParam(req, 'presence_penalty') || undefined;
  const frequency = numberParam(req, 'frequency_penalty') || undefined;
  const output = outputFormat(req.response_format);
  const effort = reasoningEffort(req.reasoning_effort);
  return toGeminiGenerationConfig(
    {
      temperature,
      topP,
      maxOutputTokens: maxTokens,
      stopSequences: stop,
      candidateCount: n !== undefined && n > 1 ? n : undefined,
      seed,
      presencePenalty: presence,
      frequencyPenalty: frequency,
      output,
      effort,
      thinkingConfig: google.thinkingConfig,
    },
    model,
  );
}
