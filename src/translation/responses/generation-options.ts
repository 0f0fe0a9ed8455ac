import type { GeminiGenerationConfig } from '../../upstream/gemini-types';
import { toGenerationConfig } from '../openai/generation-config';
import { catalogue, findModel } from '../../models/model-catalogue';
import type { ParsedModelName } from '../../models/model-names';
import type { ResponseFormat } from '../openai/openai-types';
import type { ResponseCreateRequest } from './responses-types';
import { isRecord } from '../../json/is-record';

// The catalogue is built once: the limits do not change while the proxy runs.
const MODELS = catalogue();

/**
 * Gemini answers 400 to a maxOutputTokens above the model's limit, where OpenAI clips; clients
 * that know only OpenAI's limits (agents ask for 128k) get the model's own limit instead.
 */
function outputTokens(requested: number | null | undefined, base: string): number | undefined {
  if (requested === undefined || requested === null) return undefined;
  const limit = findModel(MODELS, base)?.outputTokenLimit;
  return limit !== undefined && requested > limit ? limit : requested;
}

/** `text.format` in the shape the shared generation rules read (chat's `response_format`). */
function responseFormat(
  format: Record<string, unknown> | null | undefined,
): ResponseFormat | undefined {
  if (!format) return undefined;
  if (format.type === 'json_schema') {
    return {
      type: 'json_schema',
      json_schema: {
        name: typeof format.name === 'string' ? format.name : 'response',
        schema: isRecord(format.schema) ? format.schema : undefined,
      },
    };
  }
  return format as unknown as ResponseFormat;
}

/**
 * Sampling, output, format and reasoning options → Gemini's generationConfig, through the shared
 * rules chat uses (`max` effort is their `-maxthinking` variant), or undefined when none apply.
 */
export function toResponsesGenerationConfig(
  req: ResponseCreateRequest,
  model: ParsedModelName,
): GeminiGenerationConfig | undefined {
  const requested = req.reasoning?.effort ?? undefined;
  const effort = requested === 'max' ? undefined : requested;
  const config = toGenerationConfig(
    {
      model: req.model,
      messages: [],
      temperature: req.temperature ?? undefined,
      top_p: req.top_p ?? undefined,
      max_completion_tokens: outputTokens(req.max_output_tokens, model.base),
      response_format: responseFormat(req.text?.format),
      reasoning_effort: effort,
    },
    requested === 'max' ? { ...model, thinking: model.thinking ?? 'max' } : model,
    {},
  );
  if (config?.thinkingConfig) {
    // Thought summaries are the Responses API's `reasoning.summary`: shown only when asked for.
    const summary = req.reasoning?.summary ?? req.reasoning?.generate_summary;
    const thinking = { ...config.thinkingConfig };
    if (typeof summary === 'string' && effort !== 'none') thinking.includeThoughts = true;
    else delete thinking.includeThoughts;
    if (Object.keys(thinking).length > 0) config.thinkingConfig = thinking;
    else delete config.thinkingConfig;
  }
  return config && Object.keys(config).length > 0 ? config : undefined;
}
