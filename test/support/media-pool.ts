import OpenAI from 'openai';
import { FakeGoogle } from '../fake-google/fake-google';
import type { RecordedRequest } from '../fake-google/types';
import { client, KEY_A, KEY_B, startOpenAIFake } from './openai-sdk';
import { RunningProxy, startTestProxy } from './proxy';

/** Small enough that a test can pass it with a few hundred kilobytes. */
export const MEDIA_BODY_LIMIT_BYTES = 512 * 1024;

export interface MediaPool {
  fake: FakeGoogle;
  proxy: RunningProxy;
  openai: OpenAI;
}

/**
 * For the media suites: the fake Google, a proxy over API keys A and B with a 512 KB BODY_LIMIT
 * and one operator alias (`dall-e-2` → gemini-3-pro-image) beside the built-in media defaults.
 */
export function useMediaPool(take: (pool: MediaPool) => void): void {
  let pool: MediaPool | undefined;
  beforeAll(async () => {
    const fake = await startOpenAIFake();
    const proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: `${KEY_A},${KEY_B}`,
      BODY_LIMIT: String(MEDIA_BODY_LIMIT_BYTES),
      MODEL_ALIASES: JSON.stringify({ 'dall-e-2': 'gemini-3-pro-image' }),
    });
    pool = { fake, proxy, openai: client(proxy) };
    take(pool);
  });
  afterAll(async () => {
    await pool?.proxy.close();
    await pool?.fake.close();
  });
  beforeEach(() => pool?.fake.reset());
}

export const generateCalls = (fake: FakeGoogle): RecordedRequest[] =>
  fake.requests.filter((r) => r.action === 'generateContent');

export interface SentPart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
}

export interface SentRequest {
  contents: { role: string; parts: SentPart[] }[];
  generationConfig?: Record<string, unknown>;
}

export const sentBody = (request: RecordedRequest): SentRequest => request.body as SentRequest;
