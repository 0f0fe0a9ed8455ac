import { GeminiModel, withVariants } from '../models/model-catalogue';
import { toOpenAIModel, toOpenAIModelList } from './openai-models';

// Two entries as Google's live `GET /v1beta/models` returns them for an API key.
const LIVE: GeminiModel[] = [
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

describe('OpenAI model shapes', () => {
  it('turns a Google model into an OpenAI model without the models/ prefix', () => {
    expect(toOpenAIModel(LIVE[0])).toEqual({
      id: 'gemini-2.5-flash',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'google',
    });
  });

  it('wraps a list in OpenAI’s list envelope', () => {
    const list = toOpenAIModelList(withVariants([LIVE[0]]));
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m.id)).toEqual([
      'gemini-2.5-flash',
      'gemini-2.5-flash-search',
      'gemini-2.5-flash-nothinking',
      'gemini-2.5-flash-maxthinking',
    ]);
  });
});
