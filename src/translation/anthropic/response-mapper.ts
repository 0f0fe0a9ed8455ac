import type { GeminiResponse } from '../../upstream/gemini-types';
import type { AnthropicMessage } from './anthropic-types';
import { AnthropicStreamSequencer, foldEvents, SequencerContext } from './stream-sequencer';

/**
 * A Gemini generateContent response → an Anthropic message. It is the stream's event sequence
 * folded, so a streamed and a non-streamed answer can never disagree on blocks, ids or reasons.
 */
export function toAnthropicMessage(resp: GeminiResponse, ctx: SequencerContext): AnthropicMessage {
  const sequencer = new AnthropicStreamSequencer(ctx);
  return foldEvents([...sequencer.map(resp), ...sequencer.finish()]);
}
