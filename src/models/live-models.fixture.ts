import type { GeminiModel } from './model-catalogue';

// Two entries as Google's live `GET /v1beta/models` returns them for an API key.
export const LIVE_MODELS: GeminiModel[] = [
  {
    name: 'models/gemini-2.5-flash',
    version: '001',
    displayName: 'Gemini 2.5 Flash',
    description: 'Stable version of Gemini 2.5 Flash',
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: [
      'generateContent',
      'countTokens',
      'createCachedContent',
      'batchGenerateContent',
    ],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  },
  {
    name: 'models/gemini-2.5-flash-image',
    version: '2.0',
    displayName: 'Nano Banana',
    inputTokenLimit: 32768,
    outputTokenLimit: 32768,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'],
  },
];
