import { randomBytes } from 'node:crypto';
import type { GeminiPart, GeminiResponse, GeminiUsageMetadata } from '../../upstream/gemini-types';
import type { ThoughtSignatureStore } from '../common/thought-signature-store';
import type {
  AnthropicContentBlock,
  AnthropicDelta,
  AnthropicMessage,
  AnthropicStreamEvent,
} from './anthropic-types';
import { toStopReason } from './stop-reason';
import { toAnthropicSignature } from './thought-signature';
import { toAnthropicUsage } from './usage';

export interface SequencerContext {
  /** The model as the client asked for it. */
  model: string;
  signatures: ThoughtSignatureStore;
  /** `disable_parallel_tool_use`: calls after the first are dropped. */
  singleToolCall?: boolean;
  id?: string;
}

const token = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Anthropic requires tool ids to match ^[a-zA-Z0-9_-]+$; Gemini's own id is used when it fits. */
const TOOL_ID = /^[a-zA-Z0-9_-]{1,128}$/;

/**
 * Turns Gemini stream events into Anthropic's event sequence as they arrive: `message_start`,
 * then per content block `content_block_start` / `_delta`… / `_stop` with increasing indexes, then
 * `message_delta` (stop reason, cumulative usage) and `message_stop` from `finish()`. Gemini's
 * thought signature rides on the part it belongs to; it goes out as the `signature` of a
 * `thinking` block placed just before that part (the thought text's own block when there is one,
 * else an empty one), so the client's verbatim echo brings it back to the same place. Calls also
 * leave their signature in the store under their `toolu_` id, for clients that drop thinking.
 */
export class AnthropicStreamSequencer {
  private readonly id: string;
  private started = false;
  private done = false;
  private blocks = 0;
  private open?: { type: 'text' | 'thinking'; index: number };
  private toolUses = 0;
  private usage?: GeminiUsageMetadata;
  private finishReason?: string;
  private blocked = false;

  constructor(private readonly ctx: SequencerContext) {
    this.id = ctx.id ?? `msg_${token(12)}`;
  }

  map(chunk: GeminiResponse): AnthropicStreamEvent[] {
    if (this.done) return [];
    const out: AnthropicStreamEvent[] = [];
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    this.ensureStarted(out);
    const candidate = chunk.candidates?.[0];
    if (!candidate && chunk.promptFeedback?.blockReason) this.blocked = true;
    for (const part of candidate?.content?.parts ?? []) this.part(part, out);
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    return out;
  }

  /** Call once Gemini's stream has ended: closes the open block and ends the message. */
  finish(): AnthropicStreamEvent[] {
    if (this.done) return [];
    const out: AnthropicStreamEvent[] = [];
    this.ensureStarted(out);
    this.close(out);
    this.done = true;
    out.push({
      type: 'message_delta',
      delta: {
        stop_reason: toStopReason(this.finishReason, this.toolUses > 0, this.blocked),
        stop_sequence: null,
      },
      usage: toAnthropicUsage(this.usage),
    });
    out.push({ type: 'message_stop' });
    return out;
  }

  private ensureStarted(out: AnthropicStreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    const message: AnthropicMessage = {
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.ctx.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...toAnthropicUsage(this.usage), output_tokens: 0 },
    };
    out.push({ type: 'message_start', message });
  }

  private part(part: GeminiPart, out: AnthropicStreamEvent[]): void {
    const signature = part.thoughtSignature;
    const text = typeof part.text === 'string' ? part.text : '';
    if (part.thought) {
      if (!text && !signature) return;
      this.openBlock('thinking', out);
      if (text) this.delta({ type: 'thinking_delta', thinking: text }, out);
      if (signature) this.sign(signature, out);
      return;
    }
    if (signature) {
      this.openBlock('thinking', out);
      this.sign(signature, out);
    }
    if (part.functionCall) {
      if (this.ctx.singleToolCall && this.toolUses > 0) return;
      this.toolUse(part.functionCall, signature, out);
    } else if (text) {
      this.openBlock('text', out);
      this.delta({ type: 'text_delta', text }, out);
    }
  }

  private toolUse(
    call: NonNullable<GeminiPart['functionCall']>,
    signature: string | undefined,
    out: AnthropicStreamEvent[],
  ): void {
    this.close(out);
    const id = call.id && TOOL_ID.test(call.id) ? call.id : `toolu_${token(12)}`;
    if (signature) this.ctx.signatures.set(id, signature);
    const index = this.blocks++;
    this.toolUses++;
    out.push({
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id, name: call.name, input: {} },
    });
    // Gemini delivers a call's arguments whole: one delta carries all of the input's JSON.
    out.push({
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.args ?? {}) },
    });
    out.push({ type: 'content_block_stop', index });
  }

  /** A signature ends its thinking block: Anthropic sends `signature_delta` just before the stop. */
  private sign(signature: string, out: AnthropicStreamEvent[]): void {
    this.delta({ type: 'signature_delta', signature: toAnthropicSignature(signature) }, out);
    this.close(out);
  }

  private openBlock(type: 'text' | 'thinking', out: AnthropicStreamEvent[]): void {
    if (this.open?.type === type) return;
    this.close(out);
    const index = this.blocks++;
    this.open = { type, index };
    const content_block: AnthropicContentBlock =
      type === 'text'
        ? { type: 'text', text: '' }
        : { type: 'thinking', thinking: '', signature: '' };
    out.push({ type: 'content_block_start', index, content_block });
  }

  private delta(delta: AnthropicDelta, out: AnthropicStreamEvent[]): void {
    if (this.open) out.push({ type: 'content_block_delta', index: this.open.index, delta });
  }

  private close(out: AnthropicStreamEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'content_block_stop', index: this.open.index });
    this.open = undefined;
  }
}
