import { isRecord } from '../json/is-record';

/**
 * `MODEL_ALIASES`: client model names → Gemini model names. A key ending in `*` matches every name
 * that starts with the rest of it; exact keys win over patterns, and the longest pattern wins.
 */
export interface ModelAliases {
  exact: ReadonlyMap<string, string>;
  /** Longest prefix first. */
  prefixes: readonly { prefix: string; target: string }[];
}

export const NO_ALIASES: ModelAliases = { exact: new Map(), prefixes: [] };

/** Why a MODEL_ALIASES value cannot be used; the config layer turns it into one start-up line. */
export class ModelAliasesError extends Error {}

/** Parses the variable's JSON object; an empty value means no aliases. */
export function parseModelAliases(raw: string | undefined): ModelAliases {
  const text = (raw ?? '').trim();
  if (text === '') return NO_ALIASES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ModelAliasesError(
      'must be a JSON object such as {"claude-sonnet-4-5":"gemini-2.5-pro","claude-*":"gemini-2.5-flash"} (it is not valid JSON)',
    );
  }
  if (!isRecord(parsed)) {
    throw new ModelAliasesError('must be a JSON object of client model name → Gemini model name');
  }
  const exact = new Map<string, string>();
  const prefixes: { prefix: string; target: string }[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    const name = key.trim();
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ModelAliasesError(`the value of "${key}" must be a non-empty Gemini model name`);
    }
    if (name === '' || name === '*') {
      throw new ModelAliasesError(
        `"${key}" is not a usable key: name a model or a prefix ending in *`,
      );
    }
    const target = value.trim().replace(/^models\//, '');
    if (name.endsWith('*')) prefixes.push({ prefix: name.slice(0, -1), target });
    else exact.set(name, target);
  }
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  return { exact, prefixes };
}
