import type { GeminiGenerationConfig } from '../../upstream/gemini-types';
import {
  ParsedModelName,
  ReasoningEffort,
  ThinkingConfig,
  thinkingConfigFor,
} from '../../models/model-names';

/** What a dialect asks of the output, once its own format field is read and checked. */
export type OutputFormat =
  { kind: 'json' } | { kind: 'json_schema'; schema?: Record<string, unknown> };

/**
 * Sampling, output and reasoning options in neutral terms, read and checked by each dialect from
 * its own fields. Zero penalties are left out by the caller's choice, not here.
 */
export interface GenerationOptions {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  output?: OutputFormat;
  effort?: ReasoningEffort;
  /** A thinking config given as Google names it (`extra_body.google`), which wins over `effort`. */
  thinkingConfig?: ThinkingConfig;
}

/** Neutral options → Gemini's `generationConfig`, or undefined when none apply. */
export function toGeminiGenerationConfig(
  opts: GenerationOptions,
  model: ParsedModelName,
): GeminiGenerationConfig | undefined {
  const cfg: GeminiGenerationConfig = {};
  if (opts.temperature !== undefined) cfg.temperature = opts.temperature;
  if (opts.topP !== undefined) cfg.topP = opts.topP;
  if (opts.maxOutputTokens !== undefined) cfg.maxOutputTokens = opts.maxOutputTokens;
  if (opts.stopSequences) cfg.stopSequences = opts.stopSequences;
  if (opts.candidateCount !== undefined) cfg.candidateCount = opts.candidateCount;
  if (opts.seed !== undefined) cfg.seed = opts.seed;
  if (opts.presencePenalty !== undefined) cfg.presencePenalty = opts.presencePenalty;
  if (opts.frequencyPenalty !== undefined) cfg.frequencyPenalty = opts.frequencyPenalty;
  if (opts.output) {
    cfg.responseMimeType = 'application/json';
    // responseJsonSchema takes JSON Schema as written ($ref, $defs, additionalProperties), which
    // responseSchema's OpenAPI subset rejects. Code Assist forwards it too (gemini-cli sends it in
    // the same envelope); some third-party backends want responseSchema instead (peers §4.8).
    if (opts.output.kind === 'json_schema' && opts.output.schema) {
      cfg.responseJsonSchema = opts.output.schema;
    }
  }
  const thinking =
    opts.thinkingConfig ??
    thinkingConfigFor(model.base, { effort: opts.effort, variant: model.thinking });
  if (thinking) cfg.thinkingConfig = thinking;
  return Object.keys(cfg).length > 0 ? cfg : undefined;
}
