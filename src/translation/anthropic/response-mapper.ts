import type { GeminiResponse } from '../../upstream/gemini-types';
import type { AnthropicMessage, AnthropicStreamEvent } from './anthropic-types';
import { AnthropicStreamSequencer, SequencerContext } from './stream-sequencer';

/**
 * A Gemini generateContent response → an Anthropic message. It is the stream's event sequence
 * folded, so a streamed and a non-streamed answer can never disagree on blocks, ids or reasons.
 */
export function toAnthropicMessage(resp: GeminiResponse, ctx: SequencerContext): AnthropicMessage {
  const sequencer = new AnthropicStreamSequencer(ctx);
  return foldEvents([...sequencer.map(resp), ...sequencer.finish()]);
}

/** Folds an event sequence into the message it describes (the non-streaming answer). */
export function foldEvents(events: readonly AnthropicStreamEvent[]): AnthropicMessage {
  let message: AnthropicMessage | undefined;
  const json = new Map<number, string>();
  for (const event of events) {
    switch (event.type) {
      case 'message_start':
        message = structuredClone(event.message);
        break;
      case 'content_block_start':
        message?.content.splice(event.index, 0, structuredClone(event.content_block));
        break;
      case 'content_block_delta': {
        const block = message?.content[event.index];
        const d = event.delta;
        if (block?.type === 'text' && d.type === 'text_delta') block.text += d.text;
        else if (block?.type === 'thinking' && d.type === 'thinking_delta') {
          block.thinking += d.thinking;
        } else if (block?.type === 'thinking' && d.type === 'signature_delta') {
          block.signature = d.signature;
        } else if (block?.type === 'tool_use' && d.type === 'input_json_delta') {
          json.set(event.index, (json.get(event.index) ?? '') + d.partial_json);
        }
        break;
      }
      case 'content_block_stop': {
        const block = message?.content[event.index];
        const raw = json.get(event.index);
        if (block?.type === 'tool_use' && raw) {
          block.input = JSON.parse(raw) as Record<string, unknown>;
        }
        break;
      }
      case 'message_delta':
        if (message) {
          message.stop_reason = event.delta.stop_reason;
          message.stop_sequence = event.delta.stop_sequence;
          message.usage = event.usage;
        }
        break;
      case 'message_stop':
      case 'ping':
        break;
    }
  }
  if (!message) throw new Error('An Anthropic event sequence must begin with message_start.');
  return message;
}
