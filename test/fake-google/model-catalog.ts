/** The models the fake serves, in the Gemini API's `Model` shape. */
export interface ModelInfo {
  name: string;
  baseModelId: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: string[];
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTemperature?: number;
  thinking?: boolean;
}

const CHAT_METHODS = [
  'generateContent',
  'countTokens',
  'createCachedContent',
  'batchGenerateContent',
];
const EMBED_METHODS = ['embedContent', 'countTextTokens', 'countTokens', 'asyncBatchEmbedContent'];

function chat(id: string, displayName: string, version: string, thinking: boolean): ModelInfo {
  return {
    name: `models/${id}`,
    baseModelId: id,
    version,
    displayName,
    description: `${displayName}, served by the fake Google`,
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: CHAT_METHODS,
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking,
  };
}

/**
 * Google's list as of late 2026: the current 3.x models, then IDs Google still accepts (the 2.5
 * ones are re-routed to 3.x models by Google; `routeModel` makes the fake answer so) and the 3.0
 * previews many specs name. Gemini 2.0 is shut down and answers 404 like any unknown model.
 */
export const MODELS: readonly ModelInfo[] = [
  chat('gemini-3.8-flash', 'Gemini 3.8 Flash', '3.8', true),
  chat('gemini-3.7-flash', 'Gemini 3.7 Flash', '3.7', true),
  chat('gemini-3.6-flash', 'Gemini 3.6 Flash', '3.6', true),
  chat('gemini-3.5-flash', 'Gemini 3.5 Flash', '3.5', true),
  chat('gemini-3.5-flash-lite', 'Gemini 3.5 Flash-Lite', '3.5', true),
  chat('gemini-3.1-flash-lite', 'Gemini 3.1 Flash-Lite', '3.1', true),
  chat('gemini-3.1-pro-preview', 'Gemini 3.1 Pro Preview', '3.1-pro-preview-02-2026', true),
  chat('gemini-2.5-flash', 'Gemini 2.5 Flash', '001', true),
  chat('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', '001', true),
  chat('gemini-2.5-pro', 'Gemini 2.5 Pro', '2.5', true),
  chat('gemini-3-flash-preview', 'Gemini 3 Flash Preview', '3-flash-preview-12-2025', true),
  chat('gemini-3-pro-preview', 'Gemini 3 Pro Preview', '3-pro-preview-11-2025', true),
  {
    name: 'models/gemini-embedding-001',
    baseModelId: 'gemini-embedding-001',
    version: '001',
    displayName: 'Gemini Embedding 001',
    description: 'Obtain a distributed representation of a text.',
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    supportedGenerationMethods: EMBED_METHODS,
  },
  // Media models (images, speech) and the default transcription model, last so that pages of the
  // list that tests walk stay as they were.
  chat('gemini-3.1-flash-image', 'Nano Banana 2', '3.1-flash-image', true),
  chat('gemini-3-pro-image', 'Nano Banana Pro', '3-pro-image', true),
  chat('gemini-3.8-flash-tts', 'Gemini 3.8 Flash TTS', '3.8-flash-tts', false),
  chat('gemini-3.8-flash-lite-tts', 'Gemini 3.8 Flash-Lite TTS', '3.8-flash-lite-tts', false),
  chat('gemini-3.5-flash-lite', 'Gemini 3.5 Flash-Lite', '3.5-flash-lite', true),
];

const BY_ID = new Map(MODELS.map((m) => [m.baseModelId, m]));

export function findModel(id: string): ModelInfo | undefined {
  return BY_ID.get(id);
}

/** Methods Google serves without listing them: streaming and batches ride on their single form. */
const IMPLIED_BY: Record<string, string> = {
  streamGenerateContent: 'generateContent',
  batchEmbedContents: 'embedContent',
};

export function supports(id: string, method: string): boolean {
  const wanted = IMPLIED_BY[method] ?? method;
  return findModel(id)?.supportedGenerationMethods.includes(wanted) ?? false;
}
