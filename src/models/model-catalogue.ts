import {
  MAX_THINKING_SUFFIX,
  NO_THINKING_SUFFIX,
  parseModelName,
  SEARCH_SUFFIX,
  thinkingControlOf,
} from './model-names';

/** Google's model resource (`GET /v1beta/models`). A live list may carry more fields; they are kept. */
export interface GeminiModel {
  name: string;
  baseModelId?: string;
  version?: string;
  displayName?: string;
  description?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedGenerationMethods?: string[];
  temperature?: number;
  maxTemperature?: number;
  topP?: number;
  topK?: number;
  thinking?: boolean;
  [key: string]: unknown;
}

const CHAT_METHODS = [
  'generateContent',
  'countTokens',
  'createCachedContent',
  'batchGenerateContent',
];
const SAMPLING = { temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2 };
const LONG_CONTEXT = { inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 };

/**
 * The models a Code Assist pool serves, in Google's own shape. Code Assist has no model-list
 * method, so this list is maintained by hand; the API-key backend can fetch a live one instead and
 * pass it through `withVariants`.
 */
export const GEMINI_MODELS: readonly GeminiModel[] = [
  {
    name: 'models/gemini-2.5-pro',
    version: '2.5',
    displayName: 'Gemini 2.5 Pro',
    description: 'Stable release (June 17th, 2025) of Gemini 2.5 Pro',
    ...LONG_CONTEXT,
    supportedGenerationMethods: CHAT_METHODS,
    ...SAMPLING,
    thinking: true,
  },
  {
    name: 'models/gemini-2.5-flash',
    version: '001',
    displayName: 'Gemini 2.5 Flash',
    description:
      'Stable version of Gemini 2.5 Flash, our mid-size multimodal model that supports up to 1 million tokens, released in June of 2025.',
    ...LONG_CONTEXT,
    supportedGenerationMethods: CHAT_METHODS,
    ...SAMPLING,
    thinking: true,
  },
  {
    name: 'models/gemini-2.5-flash-lite',
    version: '001',
    displayName: 'Gemini 2.5 Flash-Lite',
    description: 'Stable version of Gemini 2.5 Flash-Lite, released in July of 2025',
    ...LONG_CONTEXT,
    supportedGenerationMethods: CHAT_METHODS,
    ...SAMPLING,
    thinking: true,
  },
  {
    name: 'models/gemini-3-pro-preview',
    version: '3-pro-preview-11-2025',
    displayName: 'Gemini 3 Pro Preview',
    description: 'Gemini 3 Pro Preview',
    ...LONG_CONTEXT,
    supportedGenerationMethods: CHAT_METHODS,
    ...SAMPLING,
    thinking: true,
  },
  {
    name: 'models/gemini-3-flash-preview',
    version: '3-flash-preview-12-2025',
    displayName: 'Gemini 3 Flash Preview',
    description: 'Gemini 3 Flash Preview',
    ...LONG_CONTEXT,
    supportedGenerationMethods: CHAT_METHODS,
    ...SAMPLING,
    thinking: true,
  },
  {
    name: 'models/gemini-embedding-001',
    version: '001',
    displayName: 'Gemini Embedding 001',
    description:
      'Obtain a distributed representation of a text. Served by Gemini API keys and Vertex service accounts (Code Assist and Vertex express mode have no embeddings).',
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens'],
  },
];

/** OpenAI clients only display `created`; one fixed date keeps the list stable between calls. */
export const CREATED = 1_750_118_400; // 2025-06-17, the 2.5 general-availability date

export const bareName = (m: GeminiModel): string => m.name.replace(/^models\//, '');

function isChatModel(m: GeminiModel): boolean {
  const base = bareName(m);
  // Image, speech and live models do not take the Search tool or a thinking control.
  return (
    (m.supportedGenerationMethods ?? []).includes('generateContent') &&
    !/-(image|tts|audio|live)/.test(base)
  );
}

function variant(m: GeminiModel, suffix: string, label: string, note: string): GeminiModel {
  const base = bareName(m);
  return {
    ...m,
    name: `models/${base}${suffix}`,
    baseModelId: base,
    displayName: `${m.displayName ?? base} ${label}`,
    description: `${(m.description ?? m.displayName ?? base).replace(/\.$/, '')}. ${note}`,
  };
}

/**
 * Adds the proxy's variants after each chat model: `-search` (Google Search grounding) for all,
 * `-nothinking` for every model with a thinking control, and `-maxthinking` for 2.5 models only —
 * Gemini 3 already defaults to its highest level, so a max variant would be the base model again.
 * Names that already carry a suffix are not varied again, so applying this twice changes nothing.
 */
export function withVariants(models: readonly GeminiModel[]): GeminiModel[] {
  const given = new Set(models.map((m) => m.name));
  const added = new Set<string>();
  const out: GeminiModel[] = [];
  const add = (m: GeminiModel) => {
    if (added.has(m.name)) return;
    added.add(m.name);
    out.push(m);
  };
  for (const m of models) {
    add(m);
    const base = bareName(m);
    if (!isChatModel(m) || parseModelName(base).base !== base) continue;
    const control = thinkingControlOf(base);
    const variants = [
      variant(m, SEARCH_SUFFIX, 'with Google Search', 'Grounded with Google Search.'),
    ];
    if (control) {
      variants.push(
        variant(
          m,
          NO_THINKING_SUFFIX,
          '(no thinking)',
          'Thinking off, or at its minimum where it cannot be switched off.',
        ),
      );
    }
    if (control === 'budget') {
      variants.push(
        variant(m, MAX_THINKING_SUFFIX, '(max thinking)', 'Thinking budget at the model maximum.'),
      );
    }
    // A variant the caller's list already holds keeps the caller's entry, in the caller's place.
    for (const v of variants) if (!given.has(v.name)) add(v);
  }
  return out;
}

/** The maintained list with its variants, as the list routes serve it. */
export function catalogue(): GeminiModel[] {
  return withVariants(structuredClone(GEMINI_MODELS));
}

/** Finds a model by OpenAI id (`gemini-2.5-pro`) or Google name (`models/gemini-2.5-pro`). */
export function findModel(models: readonly GeminiModel[], id: string): GeminiModel | undefined {
  const wanted = id.trim().replace(/^models\//, '');
  return models.find((m) => bareName(m) === wanted);
}
