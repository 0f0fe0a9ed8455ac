import type { GeminiModel } from './model-catalogue';
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

/**
 * The Gemini name for a requested model, or the name itself when no alias applies. Applied once:
 * an alias pointing at another alias is not followed, so a mapping can never loop. `models/` in
 * front of the requested name is ignored for matching, as Google ignores it.
 */
export function resolveModelAlias(aliases: ModelAliases, requested: string): string {
  const name = requested.trim().replace(/^models\//, '');
  const exact = aliases.exact.get(name);
  if (exact !== undefined) return exact;
  for (const { prefix, target } of aliases.prefixes) {
    if (name.startsWith(prefix)) return target;
  }
  return requested;
}

const bareName = (name: string): string => name.replace(/^models\//, '');

/**
 * The model list with one entry per exact alias, after the models it names: a copy of the target's
 * entry under the alias's name (so limits and methods stay true), or a bare entry when the target
 * is not in the list. Pattern keys name no model and are not listed.
 */
export function withAliasEntries(
  models: readonly GeminiModel[],
  aliases: ModelAliases,
): GeminiModel[] {
  if (aliases.exact.size === 0) return [...models];
  const taken = new Set(models.map((m) => bareName(m.name)));
  const out = [...models];
  for (const [alias, target] of aliases.exact) {
    if (taken.has(alias)) continue;
    const base = models.find((m) => bareName(m.name) === target);
    out.push({
      ...(base ?? { supportedGenerationMethods: ['generateContent', 'countTokens'] }),
      name: `models/${alias}`,
      baseModelId: target,
      displayName: `${alias} (alias of ${target})`,
      description: `MODEL_ALIASES maps ${alias} to ${target}.`,
    });
    taken.add(alias);
  }
  return out;
}
