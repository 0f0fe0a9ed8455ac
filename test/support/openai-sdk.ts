import OpenAI from 'openai';
import { FakeGoogle, type GeminiResponse } from '../fake-google/fake-google';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './proxy';

/** The set-up and fixtures the `openai-*.e2e-spec.ts` suites share. */

export const KEY_A = 'AIzaFakeKeyAAAAAAAAAAAAAAAAAAAAAAAAaaaaa';
export const KEY_B = 'AIzaFakeKeyBBBBBBBBBBBBBBBBBBBBBBBBbbbbb';
export const KEY_SOLO = 'AIzaFakeKeySSSSSSSSSSSSSSSSSSSSSSSSsssss';
/** A 1×1 transparent PNG. */
export const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export function client(proxy: RunningProxy, apiKey = TEST_PASSWORD): OpenAI {
  return new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey, maxRetries: 0 });
}

export const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
};

export function functionCallAnswer(
  calls: { name: string; args: Record<string, unknown>; thoughtSignature?: string }[],
): GeminiResponse {
  return {
    candidates: [
      {
        content: {
          role: 'model',
          parts: calls.map(({ name, args, thoughtSignature }) => ({
            functionCall: { name, args },
            ...(thoughtSignature ? { thoughtSignature } : {}),
          })),
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
  };
}

export function textAnswer(text: string): GeminiResponse {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 7 },
  };
}

/** The fake Google every suite talks to: the three keys and one OAuth account (ada@example.com). */
export async function startOpenAIFake(): Promise<FakeGoogle> {
  const fake = await FakeGoogle.start();
  for (const key of [KEY_A, KEY_B, KEY_SOLO]) fake.addApiKey(key);
  fake.addOAuthAccount({
    email: 'ada@example.com',
    refreshToken: 'rt-ada-0000011111',
    projectId: 'proj-ada',
  });
  return fake;
}

export interface OpenAIPool {
  fake: FakeGoogle;
  proxy: RunningProxy;
  openai: OpenAI;
}

/**
 * For a whole suite: the fake Google and a proxy whose pool is the API keys A and B, with an SDK
 * client for it, handed to `take` once they run; both are closed after the suite and the fake's
 * record and faults are cleared before each test.
 */
export function useOpenAIPool(take: (pool: OpenAIPool) => void): void {
  let pool: OpenAIPool | undefined;
  beforeAll(async () => {
    const fake = await startOpenAIFake();
    const proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: `${KEY_A},${KEY_B}` });
    pool = { fake, proxy, openai: client(proxy) };
    take(pool);
  });
  afterAll(async () => {
    await pool?.proxy.close();
    await pool?.fake.close();
  });
  beforeEach(() => pool?.fake.reset());
}
