import type { GeminiModel } from './model-catalogue';
import type { ModelAliases } from '../config/model-aliases-value';

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
