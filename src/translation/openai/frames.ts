import { toErrorFacts } from '../../errors/error-facts';
import { openAIDialect } from './errors';
import type { GeminiResponse } from '../../upstream/gemini-types';
import { sseData } from '../common/sse-frame';
import type { ChatStreamMapper } from './stream-mapper';

/** What ends an OpenAI chat stream. */
export const CHAT_DONE_FRAME = sseData('[DONE]');

/** Gemini's events → OpenAI chunk frames, each written as soon as its event arrives. */
export async function* chatChunkFrames(
  source: AsyncIterable<GeminiResponse>,
  mapper: ChatStreamMapper,
): AsyncGenerator<string> {
  for await (const event of source) {
    for (const chunk of mapper.map(event)) yield sseData(JSON.stringify(chunk));
  }
  for (const chunk of mapper.finish()) yield sseData(JSON.stringify(chunk));
}

/** A failure after an OpenAI stream started, in OpenAI's error shape. */
export function chatErrorFrame(error: unknown): string {
  return openAIDialect.streamErrorEvent(toErrorFacts(error));
}
