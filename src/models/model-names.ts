import type { GeminiGenerationConfig } from '../upstream/gemini-types';

export type ThinkingVariant = 'none' | 'max';

export interface ParsedModelName {
  /** The name sent upstream, without `models/` and without our suffixes. */
  base: string;
  search: boolean;
  thinking?: ThinkingVariant;
}

export const SEARCH_SUFFIX = '-search';
export const NO_THINKING_SUFFIX = '-nothinking';
export const MAX_THINKING_SUFFIX = '-maxthinking';

/** Longer than any model Google serves; the name is a key in the pool's cooldowns and the metrics. */
export const MAX_MODEL_NAME_LENGTH = 256;
// Google's model ids, `models/…`, and the `provider/name`, `name:tag` and `name@version` forms clients use.
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;

/**
 * What is wrong with a requested model name, said about the name (the caller names the field), or
 * undefined when it may be used. Checked before the name is stored, logged or sent anywhere.
 */
export function modelNameProblem(requested: string): string | undefined {
  if (requested.length > MAX_MODEL_NAME_LENGTH) {
    return `is ${requested.length} characters long; a model name has at most ${MAX_MODEL_NAME_LENGTH}.`;
  }
  const name = requested.trim();
  if (name === '') return 'is empty.';
  if (!MODEL_NAME.test(name)) {
    return 'is not a model name: use letters, digits and . _ - : @ / only, starting with a letter or digit.';
  }
  return undefined;
}

const SUFFIXES: readonly { suffix: string; apply: (p: ParsedModelName) => void }[] = [
  { suffix: SEARCH_SUFFIX, apply: (p) => (p.search = true) },
  { suffix: NO_THINKING_SUFFIX, apply: (p) => (p.thinking ??= 'none') },
  { suffix: MAX_THINKING_SUFFIX, apply: (p) => (p.thinking ??= 'max') },
];

/**
 * Splits a requested model name into the upstream name and the proxy's own variant suffixes, which
 * may be stacked in any order (`gemini-2.5-flash-search-nothinking`). With two thinking suffixes
 * the last one wins.
 */
export function parseModelName(requested: string): ParsedModelName {
  const parsed: ParsedModelName = {
    base: requested.trim().replace(/^models\//, ''),
    search: false,
  };
  for (;;) {
    const match = SUFFIXES.find(({ suffix }) => parsed.base.endsWith(suffix));
    if (!match) return parsed;
    parsed.base = parsed.base.slice(0, -match.suffix.length);
    match.apply(parsed);
  }
}

export type ThinkingConfig = NonNullable<GeminiGenerationConfig['thinkingConfig']>;

type Level = 'minimal' | 'low' | 'medium' | 'high';

type ThinkingFamily =
  | { kind: 'budget'; min: number; max: number; canDisable: boolean }
  | { kind: 'level'; levels: readonly Level[] };

// Gemini 2.5 budget ranges as Google documents them; Pro cannot switch thinking off.
const BUDGETS = {
  pro: { kind: 'budget', min: 128, max: 32768, canDisable: false },
  flash: { kind: 'budget', min: 1, max: 24576, canDisable: true },
  'flash-lite': { kind: 'budget', min: 512, max: 24576, canDisable: true },
} as const satisfies Record<string, ThinkingFamily>;

// Budgets Google's own OpenAI-compatible endpoint uses for reasoning_effort on 2.5 models.
/** How hard the model should think, as OpenAI's `reasoning_effort` (and the other dialects) say it. */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

const EFFORT_BUDGET: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 24576,
};

const NOT_THINKING_MODELS = /-(image|tts|audio|live|embedding)/;

/** Which thinking control a model takes, or undefined when it takes none (2.0, images, unknown). */
function thinkingFamily(base: string): ThinkingFamily | undefined {
  if (NOT_THINKING_MODELS.test(base)) return undefined;
  const m = /^gemini-(\d+)(?:\.(\d+))?-(pro|flash-lite|flash)(?:-|$)/.exec(base);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  const tier = m[3] as 'pro' | 'flash-lite' | 'flash';
  if (major === 2 && minor === 5) return BUDGETS[tier];
  if (major < 3) return undefined;
  if (tier !== 'pro') return { kind: 'level', levels: ['minimal', 'low', 'medium', 'high'] };
  // Gemini 3 Pro answers 400 "Thinking level MEDIUM is not supported"; 3.1 Pro added medium.
  return { kind: 'level', levels: minor === 0 ? ['low', 'high'] : ['low', 'medium', 'high'] };
}

/** The nearest supported level, rounding down for lighter requests and up for heavier ones. */
function nearestLevel(wanted: Level, levels: readonly Level[]): Level {
  const order: Level[] = ['minimal', 'low', 'medium', 'high'];
  if (levels.includes(wanted)) return wanted;
  const rank = order.indexOf(wanted);
  const below = levels.filter((l) => order.indexOf(l) < rank);
  const above = levels.filter((l) => order.indexOf(l) > rank);
  if (wanted === 'medium' && above.length > 0) return above[0];
  return below.length > 0 ? below[below.length - 1] : above[0];
}

/**
 * The thinkingConfig for a model, from `reasoning_effort` and a `-nothinking`/`-maxthinking`
 * suffix (the suffix wins). Gemini 3 takes `thinkingLevel` and must not be sent a budget (Google
 * answers 400 when both are set); 2.5 takes `thinkingBudget` within the model's range. Without
 * either input the model keeps its own default and only `includeThoughts` is set, so that
 * OpenAI clients see `reasoning_content` without having to ask.
 */
export function thinkingConfigFor(
  base: string,
  opts: { effort?: ReasoningEffort; variant?: ThinkingVariant } = {},
): ThinkingConfig | undefined {
  const family = thinkingFamily(base);
  if (!family) return undefined;
  const wanted = opts.variant ?? opts.effort;
  if (wanted === undefined) return { includeThoughts: true };
  // The client asked for no reasoning; where thinking cannot be switched off, keep it minimal and unshown.
  const includeThoughts = wanted !== 'none';

  if (family.kind === 'level') {
    const asLevel: Level =
      wanted === 'none' ? 'minimal' : wanted === 'max' || wanted === 'xhigh' ? 'high' : wanted;
    return { thinkingLevel: nearestLevel(asLevel, family.levels), includeThoughts };
  }
  if (wanted === 'none') {
    return family.canDisable
      ? { thinkingBudget: 0 }
      : { thinkingBudget: family.min, includeThoughts };
  }
  const budget = wanted === 'max' ? family.max : EFFORT_BUDGET[wanted];
  return {
    thinkingBudget: Math.min(family.max, Math.max(family.min, budget)),
    includeThoughts,
  };
}

/** Whether a model has a thinking control at all (so `-nothinking`/`-maxthinking` mean something). */
export function thinkingControlOf(base: string): 'budget' | 'level' | undefined {
  return thinkingFamily(base)?.kind;
}
