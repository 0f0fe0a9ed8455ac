import { toErrorFacts } from '../../errors/error-facts';
import { anthropicDialect } from './errors';
import type { GeminiResponse } from '../../upstream/gemini-types';
import { sseEvent } from '../common/sse-frame';
import type { AnthropicStreamEvent } from './anthropic-types';
import type { AnthropicStreamSequencer } from './stream-sequencer';

export function eventFrame(event: AnthropicStreamEvent): string {
  return sseEvent(event);
}

/** What Anthropic sends while the model is silent; its SDK skips it. */
export const PING_FRAME = eventFrame({ type: 'ping' });

/** Gemini's events → Anthropic's event frames, each written as soon as its event arrives. */
export async function* eventFrames(
  source: AsyncIterable<GeminiResponse>,
  sequencer: AnthropicStreamSequencer,
): AsyncGenerator<string> {
  let first = true;
  for await (const chunk of source) {
    for (const event of sequencer.map(chunk)) {
      yield eventFrame(event);
      // Anthropic pings right after message_start; proxies in between see the stream is alive.
      if (first && event.type === 'message_start') yield PING_FRAME;
      first = false;
    }
  }
  for (const event of sequencer.finish()) yield eventFrame(event);
}

/** A failure after a Messages stream started, in Anthropic's error shape. */
export function streamErrorFrame(error: unknown): string {
  return anthropicDialect.streamErrorEvent(toErrorFacts(error));
}
