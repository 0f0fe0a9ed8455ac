import { ApiError } from '../../errors/api-error';
import type { GeminiRequest } from '../../upstream/gemini-types';
import type { ThinkingConfig } from '../../models/model-names';
import { isRecord } from '../../json/is-record';

/**
 * Gemini-specific options, sent as `extra_body: {google: {...}}` (the OpenAI SDKs merge
 * `extra_body` into the top level, so the proxy sees `google`). Keys are accepted in either case.
 */
export interface GoogleExtras {
  thinking_config?: Record<string, unknown>;
  thinkingConfig?: Record<string, unknown>;
  safety_settings?: { category: string; threshold: string }[];
  safetySettings?: { category: string; threshold: string }[];
  cached_content?: string;
  cachedContent?: string;
  /** Embeddings only: Gemini's `taskType` (RETRIEVAL_QUERY, SEMANTIC_SIMILARITY, …). */
  task_type?: string;
  taskType?: string;
}

export type SafetySetting = NonNullable<GeminiRequest['safetySettings']>[number];

/**
 * The seed's defaults: the five text harm categories with blocking off, so the proxy answers what
 * Gemini itself would answer at the API's most permissive setting.
 */
export const DEFAULT_SAFETY_SETTINGS: readonly SafetySetting[] = [
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_CIVIC_INTEGRITY',
].map((category) => ({ category, threshold: 'BLOCK_NONE' }));

/** Gemini options from `extra_body.google`, normalised to the camelCase Gemini expects. */
export interface GoogleOptions {
  thinkingConfig?: ThinkingConfig;
  safetySettings?: SafetySetting[];
  cachedContent?: string;
  taskType?: string;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Google's own OpenAI endpoint documents snake_case keys (`thinking_config.thinking_budget`);
 * clients written against the Gemini SDKs send camelCase. Both are accepted.
 */
export function readGoogleExtras(req: {
  google?: GoogleExtras;
  extra_body?: { google?: GoogleExtras };
}): GoogleOptions {
  const raw: unknown = req.google ?? req.extra_body?.google;
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw ApiError.badRequest('google must be an object.', 'google');
  const g = Object.fromEntries(Object.entries(raw).map(([k, v]) => [camel(k), v]));
  const out: GoogleOptions = {};

  if (g.thinkingConfig !== undefined) {
    if (!isRecord(g.thinkingConfig)) {
      throw ApiError.badRequest(
        'google.thinking_config must be an object.',
        'google.thinking_config',
      );
    }
    out.thinkingConfig = Object.fromEntries(
      Object.entries(g.thinkingConfig).map(([k, v]) => [camel(k), v]),
    );
  }
  if (g.safetySettings !== undefined) {
    const valid =
      Array.isArray(g.safetySettings) &&
      g.safetySettings.every(
        (s) => isRecord(s) && typeof s.category === 'string' && typeof s.threshold === 'string',
      );
    if (!valid) {
      throw ApiError.badRequest(
        'google.safety_settings must be an array of {category, threshold}.',
        'google.safety_settings',
      );
    }
    out.safetySettings = g.safetySettings as SafetySetting[];
  }
  for (const key of ['cachedContent', 'taskType'] as const) {
    if (g[key] === undefined) continue;
    if (typeof g[key] !== 'string') {
      const param = `google.${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
      throw ApiError.badRequest(`${param} must be a string.`, param);
    }
    out[key] = g[key];
  }
  return out;
}
