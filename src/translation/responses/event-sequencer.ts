import { randomBytes } from 'node:crypto';
import type { GeminiResponse, GeminiUsageMetadata } from '../../upstream/gemini-types';
import { Piece, readParts } from '../common/part-reader';
import type { ThoughtSignatureStore } from '../common/thought-signature-store';
import { newItemId } from './input-items';
import { TerminalState, terminalState, toResponsesUsage } from './response-object';
import type { ClientTool } from './responses-tools';
import type {
  CustomToolCallItem,
  FunctionCallItem,
  MessageItem,
  ReasoningItem,
  ResponseError,
  ResponseObject,
  ResponseStreamEvent,
} from './responses-types';

export interface SequencerContext {
  /** The response as it starts (`responseSkeleton`). */
  response: ResponseObject;
  /** Gemini function name → the client's tool. */
  tools: Map<string, ClientTool>;
  signatures: ThoughtSignatureStore;
  /**
   * Set when the client asked for `reasoning.encrypted_content`: seals a reasoning item's
   * thought signatures (by call id) into it.
   */
  seal?: (signatures: Record<string, string>) => string;
  /** Seconds since the epoch; a clock for tests. */
  now?: () => number;
}

type Emitted = { type: string; [key: string]: unknown };

type OpenItem =
  | { kind: 'message'; item: MessageItem; index: number; text: string }
  | { kind: 'reasoning'; item: ReasoningItem; index: number; text: string };

const newCallId = (): string => `call_${randomBytes(12).toString('hex')}`;

/**
 * Gemini's stream (or one whole answer) → the Responses API's typed events, in OpenAI's order:
 * `response.created`, `response.in_progress`, then per output item `output_item.added`, its
 * part/delta/done events and `output_item.done`, and one terminal event whose response holds
 * every item. Thoughts become a `reasoning` item with a summary; text a `message`; calls a
 * `function_call` or, for custom tools, a `custom_tool_call`. A call's thought signature is kept
 * by call id and, when asked, sealed into the reasoning item before it.
 */
export class ResponseEventSequencer {
  private sequence = 0;
  private readonly response: ResponseObject;
  private open?: OpenItem;
  private usage?: GeminiUsageMetadata;
  private finishReason?: string;
  private blocked = false;
  private finished = false;

  constructor(private readonly ctx: SequencerContext) {
    this.response = { ...ctx.response, output: [] };
  }

  /** The response as it stands (final once `finish` or `fail` ran). */
  get result(): ResponseObject {
    return this.response;
  }

  start(): ResponseStreamEvent[] {
    const snapshot = this.snapshot();
    return this.stamp([
      { type: 'response.created', response: snapshot },
      { type: 'response.in_progress', response: snapshot },
    ]);
  }

  push(chunk: GeminiResponse): ResponseStreamEvent[] {
    if (this.finished) return [];
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    if (chunk.promptFeedback?.blockReason) this.blocked = true;
    // The Responses API has one answer per response: the first candidate.
    const candidate = chunk.candidates?.[0];
    const out: Emitted[] = [];
    for (const piece of readParts(candidate?.content?.parts)) out.push(...this.piece(piece));
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    return this.stamp(out);
  }

  /** Closes the open item and ends with `response.completed`, `.incomplete` or `.failed`. */
  finish(): ResponseStreamEvent[] {
    if (this.finished) return [];
    const out = this.close();
    this.finished = true;
    const state = terminalState(this.finishReason, this.blocked);
    this.settle(state);
    const type =
      state.status === 'completed'
        ? 'response.completed'
        : state.status === 'incomplete'
          ? 'response.incomplete'
          : 'response.failed';
    out.push({ type, response: this.snapshot() });
    return this.stamp(out);
  }

  /** A failure after the stream started: `response.failed` with the items so far. */
  fail(error: ResponseError): ResponseStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    this.open = undefined;
    this.settle({ status: 'failed', error });
    return this.stamp([{ type: 'response.failed', response: this.snapshot() }]);
  }

  private settle(state: TerminalState): void {
    const r = this.response;
    r.status = state.status;
    r.usage = toResponsesUsage(this.usage);
    if (state.status === 'incomplete') r.incomplete_details = { reason: state.reason };
    if (state.status === 'failed') r.error = state.error;
    if (state.status === 'completed') r.completed_at = this.now();
  }

  private now(): number {
    return this.ctx.now ? this.ctx.now() : Math.floor(Date.now() / 1000);
  }

  private snapshot(): ResponseObject {
    return { ...this.response, output: structuredClone(this.response.output) };
  }

  private stamp(events: Emitted[]): ResponseStreamEvent[] {
    return events.map((e) => ({ ...e, sequence_number: this.sequence++ }));
  }

  private piece(piece: Piece): Emitted[] {
    if (piece.kind === 'call') return this.call(piece);
    const out: Emitted[] = [];
    if (this.open?.kind !== (piece.kind === 'text' ? 'message' : 'reasoning')) {
      out.push(...this.close());
      out.push(...(piece.kind === 'text' ? this.openMessage() : this.openReasoning()));
    }
    const open = this.open as OpenItem;
    open.text += piece.text;
    const at = { item_id: open.item.id, output_index: open.index };
    out.push(
      open.kind === 'message'
        ? {
            type: 'response.output_text.delta',
            ...at,
            content_index: 0,
            delta: piece.text,
            logprobs: [],
          }
        : {
            type: 'response.reasoning_summary_text.delta',
            ...at,
            summary_index: 0,
            delta: piece.text,
          },
    );
    return out;
  }

  private openMessage(): Emitted[] {
    const item: MessageItem = {
      type: 'message',
      id: newItemId('msg'),
      status: 'in_progress',
      role: 'assistant',
      content: [],
    };
    const index = this.response.output.push(item) - 1;
    this.open = { kind: 'message', item, index, text: '' };
    return [
      { type: 'response.output_item.added', output_index: index, item: structuredClone(item) },
      {
        type: 'response.content_part.added',
        item_id: item.id,
        output_index: index,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
      },
    ];
  }

  private openReasoning(): Emitted[] {
    const item: ReasoningItem = { type: 'reasoning', id: newItemId('rs'), summary: [] };
    const index = this.response.output.push(item) - 1;
    this.open = { kind: 'reasoning', item, index, text: '' };
    return [
      { type: 'response.output_item.added', output_index: index, item: structuredClone(item) },
      {
        type: 'response.reasoning_summary_part.added',
        item_id: item.id,
        output_index: index,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      },
    ];
  }

  /** A reasoning item with no summary, only there to carry sealed signatures. */
  private carrier(encrypted: string): Emitted[] {
    const item: ReasoningItem = { type: 'reasoning', id: newItemId('rs'), summary: [] };
    const index = this.response.output.push(item) - 1;
    const added = structuredClone(item);
    item.encrypted_content = encrypted;
    return [
      { type: 'response.output_item.added', output_index: index, item: added },
      { type: 'response.output_item.done', output_index: index, item: structuredClone(item) },
    ];
  }

  /** Ends the open item; a reasoning item takes the signatures of the call that follows it. */
  private close(signatures: Record<string, string> = {}): Emitted[] {
    const open = this.open;
    if (!open) return [];
    this.open = undefined;
    const at = { item_id: open.item.id, output_index: open.index };
    if (open.kind === 'message') {
      const part = { type: 'output_text' as const, text: open.text, annotations: [], logprobs: [] };
      open.item.content = [part];
      open.item.status = 'completed';
      return [
        {
          type: 'response.output_text.done',
          ...at,
          content_index: 0,
          text: open.text,
          logprobs: [],
        },
        { type: 'response.content_part.done', ...at, content_index: 0, part: { ...part } },
        {
          type: 'response.output_item.done',
          output_index: open.index,
          item: structuredClone(open.item),
        },
      ];
    }
    const summary = { type: 'summary_text' as const, text: open.text };
    open.item.summary = [summary];
    if (this.ctx.seal) open.item.encrypted_content = this.ctx.seal(signatures);
    return [
      { type: 'response.reasoning_summary_text.done', ...at, summary_index: 0, text: open.text },
      {
        type: 'response.reasoning_summary_part.done',
        ...at,
        summary_index: 0,
        part: { ...summary },
      },
      {
        type: 'response.output_item.done',
        output_index: open.index,
        item: structuredClone(open.item),
      },
    ];
  }

  private call(piece: Extract<Piece, { kind: 'call' }>): Emitted[] {
    const callId = piece.id ?? newCallId();
    const signed: Record<string, string> = {};
    if (piece.signature) {
      this.ctx.signatures.set(callId, piece.signature);
      signed[callId] = piece.signature;
    }
    const out: Emitted[] = [];
    if (this.open?.kind === 'reasoning') out.push(...this.close(signed));
    else {
      out.push(...this.close());
      // No thoughts were shown, but a stateless client still needs the signature back.
      if (piece.signature && this.ctx.seal) out.push(...this.carrier(this.ctx.seal(signed)));
    }
    const tool = this.ctx.tools.get(piece.name);
    const namespace = tool?.namespace ? { namespace: tool.namespace } : {};
    const name = tool?.name ?? piece.name;
    if (tool?.kind === 'custom') {
      const input =
        typeof piece.args.input === 'string' ? piece.args.input : JSON.stringify(piece.args);
      const item: CustomToolCallItem = {
        type: 'custom_tool_call',
        id: newItemId('ctc'),
        call_id: callId,
        name,
        input: '',
        status: 'in_progress',
        ...namespace,
      };
      out.push(
        ...this.callItem(
          item,
          () => (item.input = input),
          (at) => [
            { type: 'response.custom_tool_call_input.delta', ...at, delta: input },
            { type: 'response.custom_tool_call_input.done', ...at, input },
          ],
        ),
      );
      return out;
    }
    const args = JSON.stringify(piece.args);
    const item: FunctionCallItem = {
      type: 'function_call',
      id: newItemId('fc'),
      call_id: callId,
      name,
      arguments: '',
      status: 'in_progress',
      ...namespace,
    };
    out.push(
      ...this.callItem(
        item,
        () => (item.arguments = args),
        (at) => [
          { type: 'response.function_call_arguments.delta', ...at, delta: args },
          { type: 'response.function_call_arguments.done', ...at, name, arguments: args },
        ],
      ),
    );
    return out;
  }

  /**
   * A tool call as one item: added in progress, its input in one delta and a done event (Gemini
   * sends whole calls), then done; the item's own fields are filled between the two snapshots.
   */
  private callItem(
    item: FunctionCallItem | CustomToolCallItem,
    fill: () => void,
    inputEvents: (at: { item_id: string; output_index: number }) => Emitted[],
  ): Emitted[] {
    const index = this.response.output.push(item) - 1;
    const added: Emitted = {
      type: 'response.output_item.added',
      output_index: index,
      item: structuredClone(item),
    };
    fill();
    item.status = 'completed';
    return [
      added,
      ...inputEvents({ item_id: item.id, output_index: index }),
      { type: 'response.output_item.done', output_index: index, item: structuredClone(item) },
    ];
  }
}
