import type { GeminiModel } from './model-catalogue';

const CHAT_METHODS = [
  'generateContent',
  'countTokens',
  'createCachedContent',
  'batchGenerateContent',
];

// Entries as Google's live `GET /v1beta/models` returns them for an API key (late 2026): a
// Gemini 3.x model (thinking levels), the 2.5 model still served as itself (thinking budgets),
// and an image model (no variants).
export const LIVE_MODELS: GeminiModel[] = [
  {
    name: 'models/gemini-3.8-flash',
    version: '3.8',
    displayName: 'Gemini 3.8 Flash',
    description: 'Gemini 3.8 Flash',
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: CHAT_METHODS,
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  },
  {
    name: 'models/gemini-2.5-flash-lite',
    version: '001',
    displayName: 'Gemini 2.5 Flash-Lite',
    description: 'Stable version of Gemini 2.5 Flash-Lite',
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: CHAT_METHODS,
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  },
  {
    name: 'models/gemini-3.1-flash-image',
    version: '3.1',
    displayName: 'Nano Banana 2',
    inputTokenLimit: 131072,
    outputTokenLimit: 32768,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'],
  },
];
