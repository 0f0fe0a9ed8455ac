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

function chatModel(id: string, displayName: string, version: string, description: string) {
  return {
    name: `models/${id}`,
    version,
    displayName,
    description,
    ...LONG_CONTEXT,
    supportedGenerationMethods: CHAT_METHODS,
    ...SAMPLING,
    thinking: true,
  };
}

/**
 * IDs Google still accepts but answers with another model, billed at that model's rate
 * (shared/reference/google-late-2026.md §1): the 3.x routes from the changelog of 2026-10-08,
 * the 2.5 ones from 2026-12-01 as reported from the deprecations page. Listed so that clients
 * configured with them see where they land; the served model is logged whatever this says.
 */
export const GOOGLE_ROUTES: ReadonlyMap<string, { servedAs: string; since: string }> = new Map([
  ['gemini-3.7-flash', { servedAs: 'gemini-3.8-flash', since: '2026-10-08' }],
  ['gemini-3.5-flash', { servedAs: 'gemini-3.6-flash', since: '2026-10-08' }],
  ['gemini-2.5-pro', { servedAs: 'gemini-3.8-flash', since: '2026-12-01' }],
  ['gemini-2.5-flash', { servedAs: 'gemini-3.5-flash-lite', since: '2026-12-01' }],
]);

/**
 * IDs Google has shut down (requests fail), with the date. Dropped from every list the proxy
 * serves, a live one included: Google's lists have carried retired IDs for weeks.
 */
export const SHUT_DOWN_MODELS: ReadonlyMap<string, string> = new Map([
  ['gemini-2.0-flash', '2026-06-01'],
  ['gemini-2.0-flash-lite', '2026-06-01'],
  ['gemini-2.5-flash-image-preview', '2026-06-25'],
  ['gemini-3-pro-image-preview', '2026-06-25'],
  ['imagen-4.0-generate-001', '2026-08-17'],
  ['imagen-4.0-ultra-generate-001', '2026-08-17'],
  ['imagen-4.0-fast-generate-001', '2026-08-17'],
  ['gemini-2.5-flash-preview-tts', '2026-12-18'],
  ['gemini-2.5-pro-preview-tts', '2026-12-18'],
]);

function routed(id: string, displayName: string, version: string): GeminiModel {
  const route = GOOGLE_ROUTES.get(id);
  if (!route) throw new Error(`${id} is listed as routed but has no route`);
  return {
    ...chatModel(
      id,
      displayName,
      version,
      `Google routes this ID to ${route.servedAs} since ${route.since} and bills that model's rate; ask for ${route.servedAs} directly.`,
    ),
    routedTo: route.servedAs,
  };
}

/**
 * The models Code Assist and Vertex accounts serve, in Google's own shape: neither has a
 * model-list method the proxy can use, so this list is maintained by hand from Google's
 * deprecations page (2026-12) and is one of several sources, never the only one: the API-key
 * backend fetches a live list and passes it through `withVariants`, and any name not listed here
 * still goes to Google as asked. Current models first, then the IDs Google re-routes.
 */
export const GEMINI_MODELS: readonly GeminiModel[] = [
  chatModel(
    'gemini-3.8-flash',
    'Gemini 3.8 Flash',
    '3.8',
    'Gemini 3.8 Flash, generally available since September 2nd, 2026.',
  ),
  chatModel(
    'gemini-3.6-flash',
    'Gemini 3.6 Flash',
    '3.6',
    'Gemini 3.6 Flash, generally available since July 21st, 2026.',
  ),
  chatModel(
    'gemini-3.5-flash-lite',
    'Gemini 3.5 Flash-Lite',
    '3.5',
    'Gemini 3.5 Flash-Lite, generally available since July 21st, 2026.',
  ),
  chatModel(
    'gemini-3.1-flash-lite',
    'Gemini 3.1 Flash-Lite',
    '3.1',
    'Gemini 3.1 Flash-Lite, generally available since May 7th, 2026; shuts down May 7th, 2027.',
  ),
  chatModel(
    'gemini-3.1-pro-preview',
    'Gemini 3.1 Pro Preview',
    '3.1-pro-preview-02-2026',
    'Gemini 3.1 Pro Preview (February 19th, 2026); preview models have tighter limits.',
  ),
  chatModel(
    'gemini-2.5-flash-lite',
    'Gemini 2.5 Flash-Lite',
    '001',
    'Stable version of Gemini 2.5 Flash-Lite; Google keeps it available until further notice.',
  ),
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
  routed('gemini-3.7-flash', 'Gemini 3.7 Flash', '3.7'),
  routed('gemini-3.5-flash', 'Gemini 3.5 Flash', '3.5'),
  routed('gemini-2.5-pro', 'Gemini 2.5 Pro', '2.5'),
  routed('gemini-2.5-flash', 'Gemini 2.5 Flash', '001'),
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
 * Shut-down models are left out.
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
    const base = bareName(m);
    if (SHUT_DOWN_MODELS.has(base)) continue;
    add(m);
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
