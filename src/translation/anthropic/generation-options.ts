import { ApiError } from '../../errors/api-error';
import type { GeminiGenerationConfig } from '../../upstream/gemini-types';
import { GEMINI_MODELS } from '../../models/model-catalogue';
import {
  ParsedModelName,
  ReasoningEffort,
  ThinkingConfig,
  thinkingConfigFor,
  thinkingControlOf,
} from '../../models/model-names';
import type { AnthropicMessagesRequest } from './anthropic-types';
import { isRecord } from '../../json/is-record';

/** Gemini's output limit when the model is not in the maintained list. */
const DEFAULT_OUTPUT_LIMIT = 65_536;

const EFFORTS: Record<string, ReasoningEffort> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'xhigh',
};

function number(req: AnthropicMessagesRequest, key: string, integer = false): number | undefined {
  const value = req[key];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value))
  ) {
    throw ApiError.badRequest(`${key}: must be ${integer ? 'an integer' : 'a number'}.`, key);
  }
  return value;
}

function outputLimit(base: string): number {
  const model = GEMINI_MODELS.find((m) => m.name === `models/${base}`);
  return model?.outputTokenLimit ?? DEFAULT_OUTPUT_LIMIT;
}

/** Anthropic's effort names → the shared reasoning efforts (`max` is the highest Gemini has). */
function effortOf(req: AnthropicMessagesRequest): ReasoningEffort | undefined {
  const config = req.output_config;
  const effort = isRecord(config) ? config.effort : undefined;
  if (effort === undefined || effort === null) return undefined;
  const mapped = typeof effort === 'string' ? EFFORTS[effort] : undefined;
  if (!mapped) {
    throw ApiError.badRequest(
      'output_config.effort: must be one of low, medium, high, xhigh, max.',
      'output_config.effort',
    );
  }
  return mapped;
}

/** A token budget → the nearest Gemini 3 thinking level. */
function effortForBudget(budget: number): ReasoningEffort {
  if (budget <= 2048) return 'low';
  if (budget <= 16_384) return 'medium';
  return 'high';
}

/**
 * Anthropic's `thinking` (+ `output_config.effort`) → Gemini's thinkingConfig. A `-nothinking` /
 * `-maxthinking` model suffix wins. Thoughts are shown unless `display: "omitted"` (Claude Code's
 * choice); the signature comes back either way. Without `thinking` the model keeps its default
 * and shows no thoughts, as Anthropic models do.
 */
export function toThinkingConfig(
  req: AnthropicMessagesRequest,
  model: ParsedModelName,
): ThinkingConfig | undefined {
  if (model.thinking) return thinkingConfigFor(model.base, { variant: model.thinking });
  const control = thinkingControlOf(model.base);
  const thinking = req.thinking;
  if (thinking !== undefined && thinking !== null && !isRecord(thinking)) {
    throw ApiError.badRequest('thinking: must be an object.', 'thinking');
  }
  const effort = effortOf(req);
  if (!control) return undefined;
  const show = thinking?.display !== 'omitted';
  const shown = (cfg: ThinkingConfig | undefined, include: boolean) =>
    cfg ? { ...cfg, includeThoughts: include } : undefined;
  switch (thinking?.type) {
    case undefined:
      return effort ? shown(thinkingConfigFor(model.base, { effort }), false) : undefined;
    case 'disabled':
      return thinkingConfigFor(model.base, { effort: 'none' });
    case 'enabled': {
      const budget = thinking.budget_tokens;
      if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 0) {
        throw ApiError.badRequest(
          'thinking.budget_tokens: must be a non-negative integer.',
          'thinking.budget_tokens',
        );
      }
      if (control === 'budget') {
        const max = thinkingConfigFor(model.base, { variant: 'max' })?.thinkingBudget ?? budget;
        return { thinkingBudget: Math.min(budget, max), includeThoughts: show };
      }
      return shown(thinkingConfigFor(model.base, { effort: effortForBudget(budget) }), show);
    }
    case 'adaptive':
      if (effort) return shown(thinkingConfigFor(model.base, { effort }), show);
      // Gemini's own dynamic thinking: -1 on 2.5, the model's default level on 3.
      return control === 'budget'
        ? { thinkingBudget: -1, includeThoughts: show }
        : { includeThoughts: show };
    default:
      throw ApiError.badRequest(
        'thinking.type: must be one of enabled, adaptive, disabled.',
        'thinking.type',
      );
  }
}

function stopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
    throw ApiError.badRequest('stop_sequences: must be an array of strings.', 'stop_sequences');
  }
  const kept = value.filter((s: string) => s.length > 0);
  return kept.length > 0 ? kept : undefined;
}

/**
 * Sampling, output and thinking options → Gemini's generationConfig. `max_tokens` is clipped to
 * the model's output limit: Claude Code asks for 32 000–128 000 and Gemini answers 400 above its
 * limit rather than clamping.
 */
export function toGenerationConfig(
  req: AnthropicMessagesRequest,
  model: ParsedModelName,
): GeminiGenerationConfig | undefined {
  const cfg: GeminiGenerationConfig = {};
  const maxTokens = number(req, 'max_tokens', true);
  if (maxTokens !== undefined) {
    if (maxTokens < 1) throw ApiError.badRequest('max_tokens: must be at least 1.', 'max_tokens');
    cfg.maxOutputTokens = Math.min(maxTokens, outputLimit(model.base));
  }
  const temperature = number(req, 'temperature');
  if (temperature !== undefined) cfg.temperature = temperature;
  const topP = number(req, 'top_p');
  if (topP !== undefined) cfg.topP = topP;
  const topK = number(req, 'top_k', true);
  if (topK !== undefined) cfg.topK = topK;
  const stop = stopSequences(req.stop_sequences);
  if (stop) cfg.stopSequences = stop;

  const format = isRecord(req.output_config) ? req.output_config.format : undefined;
  if (format !== undefined && format !== null) {
    if (!isRecord(format) || format.type !== 'json_schema' || !isRecord(format.schema)) {
      throw ApiError.badRequest(
        'output_config.format: must be {"type":"json_schema","schema":{…}}.',
        'output_config.format',
      );
    }
    cfg.responseMimeType = 'application/json';
    cfg.responseJsonSchema = format.schema;
  }

  const thinking = toThinkingConfig(req, model);
  if (thinking) cfg.thinkingConfig = thinking;
  return Object.keys(cfg).length > 0 ? cfg : undefined;
}
