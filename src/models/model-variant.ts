import { ApiError } from '../errors/api-error';
import type { GeminiRequest } from '../upstream/gemini-types';
import { parseModelName, thinkingConfigFor } from './model-names';
import { isRecord } from '../json/is-record';

/**
 * Applies a variant name (`-search`, `-nothinking`, `-maxthinking`) to a native request: the
 * upstream model is the base name, Search adds Google's search tool, and the thinking suffix
 * sets the thinking control. Whatever the client set itself wins. A plain model name returns
 * the request untouched (no copy), which is the common, hot case.
 */
export function applyModelVariant(
  model: string,
  request: GeminiRequest,
): { model: string; request: GeminiRequest } {
  const parsed = parseModelName(model);
  if (!parsed.search && !parsed.thinking) return { model: parsed.base, request };
  const next: GeminiRequest = { ...request };
  if (parsed.search) {
    const tools: unknown = request.tools ?? [];
    // The body is otherwise Google's to validate, but the variant has to read these fields first.
    if (!Array.isArray(tools)) throw ApiError.badRequest('tools must be an array.', 'tools');
    const hasSearch = tools.some(
      (t) => isRecord(t) && ('googleSearch' in t || 'google_search' in t),
    );
    next.tools = hasSearch ? tools : [...tools, { googleSearch: {} }];
  }
  if (parsed.thinking) {
    for (const [field, value] of [
      ['generationConfig', request.generationConfig],
      ['generationConfig.thinkingConfig', request.generationConfig?.thinkingConfig],
    ] as const) {
      if (value !== undefined && value !== null && !isRecord(value)) {
        throw ApiError.badRequest(`${field} must be an object.`, field);
      }
    }
    const fromVariant = thinkingConfigFor(parsed.base, { variant: parsed.thinking });
    if (fromVariant) {
      next.generationConfig = {
        ...request.generationConfig,
        thinkingConfig: { ...fromVariant, ...request.generationConfig?.thinkingConfig },
      };
    }
  }
  return { model: parsed.base, request: next };
}
