import type { GeminiResponse, GeminiUsageMetadata } from '../../upstream/gemini-types';
import { mapFinishReason } from './finish-reason';
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from './openai-types';
import { Piece, readParts } from '../common/part-reader';
import { issueToolCall, newCompletionId } from './tool-calls';
import type { ResponseContext } from './response-mapper';
import { toOpenAIUsage } from './usage';

export interface StreamContext extends ResponseContext {
  /** `stream_options.include_usage`: end with a usage chunk whose `choices` is empty. */
  includeUsage?: boolean;
}

interface ChoiceState {
  started: boolean;
  /** Tool calls emitted so far; the next call's `index`. */
  toolCalls: number;
  finished: boolean;
}

/**
 * Turns Gemini stream chunks into OpenAI `chat.completion.chunk`s as they arrive, without
 * buffering. Holds per-choice state: whether the role went out, how many tool calls were emitted
 * (each gets its own `index`, or parallel calls merge in OpenAI SDK accumulators), and whether
 * the choice has finished.
 */
export class ChatStreamMapper {
  private id?: string;
  private readonly created: number;
  private readonly choices = new Map<number, ChoiceState>();
  private usage?: GeminiUsageMetadata;
  private done = false;

  constructor(private readonly ctx: StreamContext) {
    this.id = ctx.id;
    this.created = ctx.created ?? Math.floor(Date.now() / 1000);
  }

  map(chunk: GeminiResponse): ChatCompletionChunk[] {
    this.id ??= chunk.responseId ? `chatcmpl-${chunk.responseId}` : newCompletionId();
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    const out: ChatCompletionChunk[] = [];
    const candidates = chunk.candidates ?? [];
    if (candidates.length === 0 && chunk.promptFeedback?.blockReason) {
      out.push(...this.close(0, 'content_filter'));
    }
    candidates.forEach((candidate, i) => {
      const index = typeof candidate.index === 'number' ? candidate.index : i;
      const state = this.state(index);
      if (state.finished) return;
      for (const piece of readParts(candidate.content?.parts)) {
        out.push(this.chunk(index, this.delta(piece, state), null));
      }
      if (candidate.finishReason) {
        out.push(
          ...this.close(index, mapFinishReason(candidate.finishReason, state.toolCalls > 0)),
        );
      }
    });
    return out;
  }

  /**
   * Call once the upstream stream has ended: closes every choice Gemini left open (and answers an
   * empty stream with one empty choice), then adds the usage chunk when it was asked for.
   */
  finish(): ChatCompletionChunk[] {
    if (this.done) return [];
    this.done = true;
    this.id ??= newCompletionId();
    const out: ChatCompletionChunk[] = [];
    if (this.choices.size === 0) out.push(...this.close(0, 'stop'));
    for (const [index, state] of this.choices) {
      out.push(...this.close(index, state.toolCalls > 0 ? 'tool_calls' : 'stop'));
    }
    if (this.ctx.includeUsage) {
      out.push({ ...this.envelope(), choices: [], usage: toOpenAIUsage(this.usage) });
    }
    return out;
  }

  private state(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { started: false, toolCalls: 0, finished: false };
      this.choices.set(index, state);
    }
    return state;
  }

  private delta(piece: Piece, state: ChoiceState): ChunkDelta {
    const delta: ChunkDelta = state.started ? {} : { role: 'assistant' };
    state.started = true;
    if (piece.kind === 'text') delta.content = piece.text;
    else if (piece.kind === 'reasoning') delta.reasoning_content = piece.text;
    else {
      const call = issueToolCall(piece, this.ctx.signatures);
      delta.tool_calls = [{ index: state.toolCalls++, ...call }];
    }
    return delta;
  }

  private close(index: number, reason: FinishReason): ChatCompletionChunk[] {
    const state = this.state(index);
    if (state.finished) return [];
    state.finished = true;
    const delta: ChunkDelta = state.started ? {} : { role: 'assistant', content: '' };
    state.started = true;
    return [this.chunk(index, delta, reason)];
  }

  private envelope(): Omit<ChatCompletionChunk, 'choices'> {
    const envelope: Omit<ChatCompletionChunk, 'choices'> = {
      id: this.id ?? '',
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.ctx.model,
    };
    // With include_usage OpenAI sends `usage: null` on every chunk before the last.
    if (this.ctx.includeUsage) envelope.usage = null;
    return envelope;
  }

  private chunk(
    index: number,
    delta: ChunkDelta,
    finishReason: FinishReason | null,
  ): ChatCompletionChunk {
    return {
      ...this.envelope(),
      choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
    };
  }
}
