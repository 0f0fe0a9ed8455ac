import type { GeminiGenerationConfig } from '../../upstream/gemini-types';
import { OutputFormat, toGeminiGenerationConfig } from '../common/generation-config';
import { catalogue, findModel } from '../../models/model-catalogue';
import type { ParsedModelName } from '../../models/model-names';
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

/** `text.format`, checked by the request rules, in the neutral terms of the generation rules. */
function outputFormat(
  format: Record<string, unknown> | null | undefined,
): OutputFormat | undefined {
  if (format?.type === 'json_object') return { kind: 'json' };
  if (format?.type === 'json_schema') {
    return { kind: 'json_schema', schema: isRecord(format.schema) ? format.schema : undefined };
  }
  return undefined;
}

/**
 * Sampling, output, format and reasoning options → Gemini's generationConfig, through the shared
 * generation rules (`max` effort is their `-maxthinking` variant), or undefined when none apply.
 */
export function toResponsesGenerationConfig(
  req: ResponseCreateRequest,
  model: ParsedModelName,
): GeminiGenerationConfig | undefined {
  const requested = req.reasoning?.effort ?? undefined;
  const effort = requested === 'max' ? undefined : requested;
  const config = toGeminiGenerationConfig(
    {
      temperature: req.temperature ?? undefined,
      topP: req.top_p ?? undefined,
      maxOutputTokens: outputTokens(req.max_output_tokens, model.base),
      output: outputFormat(req.text?.format),
      effort,
    },
    requested === 'max' ? { ...model, thinking: model.thinking ?? 'max' } : model,
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
