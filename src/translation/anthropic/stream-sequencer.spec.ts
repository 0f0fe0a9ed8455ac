import type { GeminiPart, GeminiResponse } from '../../upstream/gemini-types';
import { InMemoryThoughtSignatureStore } from '../common/thought-signature-store';
import type { AnthropicStreamEvent } from './anthropic-types';
import { toAnthropicMessage } from './response-mapper';
import { toStopReason } from './stop-reason';
import { AnthropicStreamSequencer } from './stream-sequencer';
import { toAnthropicSignature } from './thought-signature';
import { toAnthropicUsage } from './usage';

const chunk = (
  parts: GeminiPart[],
  extra: Partial<GeminiResponse> & { finishReason?: string } = {},
) => {
  const { finishReason, ...rest } = extra;
  return {
    candidates: [
      { content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) },
    ],
    ...rest,
  } as GeminiResponse;
};

function run(chunks: GeminiResponse[], opts: { singleToolCall?: boolean } = {}) {
  const signatures = new InMemoryThoughtSignatureStore();
  const sequencer = new AnthropicStreamSequencer({
    model: 'claude-x',
    signatures,
    id: 'msg_1',
    ...opts,
  });
  const events = [...chunks.flatMap((c) => sequencer.map(c)), ...sequencer.finish()];
  return { events, signatures };
}

/** Events in a compact form that reads like Anthropic's docs: `start:0:text`, `delta:0:text_delta`… */
function outline(events: AnthropicStreamEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case 'content_block_start':
        return `start:${e.index}:${e.content_block.type}`;
      case 'content_block_delta':
        return `delta:${e.index}:${e.delta.type}`;
      case 'content_block_stop':
        return `stop:${e.index}`;
      case 'message_delta':
        return `message_delta:${e.delta.stop_reason}`;
      case 'message_start':
      case 'message_stop':
      case 'ping':
        return e.type;
    }
  });
}

describe('AnthropicStreamSequencer', () => {
  it.each<[string, GeminiResponse[], string[]]>([
    [
      'text over several events',
      [chunk([{ text: 'Hel' }]), chunk([{ text: 'lo' }], { finishReason: 'STOP' })],
      [
        'message_start',
        'start:0:text',
        'delta:0:text_delta',
        'delta:0:text_delta',
        'stop:0',
        'message_delta:end_turn',
        'message_stop',
      ],
    ],
    [
      'thoughts, then text',
      [chunk([{ text: 'hmm', thought: true }]), chunk([{ text: 'ok' }], { finishReason: 'STOP' })],
      [
        'message_start',
        'start:0:thinking',
        'delta:0:thinking_delta',
        'stop:0',
        'start:1:text',
        'delta:1:text_delta',
        'stop:1',
        'message_delta:end_turn',
        'message_stop',
      ],
    ],
    [
      'thoughts, then a signed call: the signature closes the thinking block',
      [
        chunk([{ text: 'plan', thought: true }]),
        chunk(
          [{ functionCall: { name: 'Bash', args: { command: 'ls' } }, thoughtSignature: 's1' }],
          { finishReason: 'STOP' },
        ),
      ],
      [
        'message_start',
        'start:0:thinking',
        'delta:0:thinking_delta',
        'delta:0:signature_delta',
        'stop:0',
        'start:1:tool_use',
        'delta:1:input_json_delta',
        'stop:1',
        'message_delta:tool_use',
        'message_stop',
      ],
    ],
    [
      'a signed call without thoughts: an empty thinking block carries the signature',
      [
        chunk([{ functionCall: { name: 'Bash', args: {} }, thoughtSignature: 's1' }], {
          finishReason: 'STOP',
        }),
      ],
      [
        'message_start',
        'start:0:thinking',
        'delta:0:signature_delta',
        'stop:0',
        'start:1:tool_use',
        'delta:1:input_json_delta',
        'stop:1',
        'message_delta:tool_use',
        'message_stop',
      ],
    ],
    [
      'text, then two parallel calls',
      [
        chunk([{ text: 'Running.' }]),
        chunk(
          [{ functionCall: { name: 'A', args: {} } }, { functionCall: { name: 'B', args: {} } }],
          { finishReason: 'STOP' },
        ),
      ],
      [
        'message_start',
        'start:0:text',
        'delta:0:text_delta',
        'stop:0',
        'start:1:tool_use',
        'delta:1:input_json_delta',
        'stop:1',
        'start:2:tool_use',
        'delta:2:input_json_delta',
        'stop:2',
        'message_delta:tool_use',
        'message_stop',
      ],
    ],
    [
      'an answer cut by the token limit',
      [chunk([{ text: 'long' }], { finishReason: 'MAX_TOKENS' })],
      [
        'message_start',
        'start:0:text',
        'delta:0:text_delta',
        'stop:0',
        'message_delta:max_tokens',
        'message_stop',
      ],
    ],
    [
      'a safety stop',
      [chunk([], { finishReason: 'SAFETY' })],
      ['message_start', 'message_delta:refusal', 'message_stop'],
    ],
    [
      'a blocked prompt (no candidates)',
      [{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }],
      ['message_start', 'message_delta:refusal', 'message_stop'],
    ],
    ['an empty stream', [], ['message_start', 'message_delta:end_turn', 'message_stop']],
  ])('sequences %s', (_name, chunks, expected) => {
    expect(outline(run(chunks).events)).toEqual(expected);
  });

  it('starts every tool_use with empty input and sends the whole JSON in one delta', () => {
    const { events } = run([
      chunk([{ functionCall: { name: 'Bash', args: { command: 'ls -la' } } }]),
    ]);
    expect(events[1]).toMatchObject({
      type: 'content_block_start',
      content_block: { type: 'tool_use', name: 'Bash', input: {} },
    });
    expect(events[2]).toMatchObject({
      delta: { type: 'input_json_delta', partial_json: '{"command":"ls -la"}' },
    });
  });

  it('gives calls unique toolu_ ids, or Gemini’s own id when it fits, and keeps signatures by id', () => {
    const { events, signatures } = run([
      chunk([
        { functionCall: { name: 'A', args: {} }, thoughtSignature: 'sig-a' },
        { functionCall: { name: 'A', args: {} } },
        { functionCall: { name: 'B', args: {}, id: 'gemini-id_1' } },
      ]),
    ]);
    const ids = events.flatMap((e) =>
      e.type === 'content_block_start' && e.content_block.type === 'tool_use'
        ? [e.content_block.id]
        : [],
    );
    expect(ids[0]).toMatch(/^toolu_[0-9a-f]{24}$/);
    expect(ids[1]).toMatch(/^toolu_/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe('gemini-id_1');
    expect(signatures.get(ids[0])).toBe('sig-a');
  });

  it('marks the signature as the proxy’s own', () => {
    const { events } = run([chunk([{ text: 'x', thoughtSignature: 'raw' }])]);
    expect(events).toContainEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'signature_delta', signature: toAnthropicSignature('raw') },
    });
  });

  it('keeps only the first call with disable_parallel_tool_use', () => {
    const { events } = run(
      [
        chunk([
          { functionCall: { name: 'A', args: {} } },
          { functionCall: { name: 'B', args: {} } },
        ]),
      ],
      { singleToolCall: true },
    );
    expect(outline(events).filter((e) => e.endsWith('tool_use'))).toEqual([
      'start:0:tool_use',
      'message_delta:tool_use',
    ]);
  });

  it('reports usage in message_start and cumulative usage in message_delta', () => {
    const { events } = run([
      chunk([{ text: 'a' }], {
        usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 40 },
      }),
      chunk([{ text: 'b' }], {
        finishReason: 'STOP',
        usageMetadata: {
          promptTokenCount: 100,
          cachedContentTokenCount: 40,
          candidatesTokenCount: 7,
          thoughtsTokenCount: 3,
        },
      }),
    ]);
    expect(events[0]).toMatchObject({
      type: 'message_start',
      message: {
        id: 'msg_1',
        model: 'claude-x',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 60, output_tokens: 0 },
      },
    });
    expect(events.find((e) => e.type === 'message_delta')).toMatchObject({
      usage: {
        input_tokens: 60,
        output_tokens: 10,
        cache_read_input_tokens: 40,
        cache_creation_input_tokens: 0,
      },
    });
  });
});

describe('toAnthropicMessage', () => {
  it('folds the event sequence into the non-streaming message', () => {
    const message = toAnthropicMessage(
      chunk(
        [
          { text: 'plan', thought: true },
          { functionCall: { name: 'Bash', args: { command: 'ls' } }, thoughtSignature: 's1' },
        ],
        { finishReason: 'STOP', usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2 } },
      ),
      { model: 'claude-x', signatures: new InMemoryThoughtSignatureStore(), id: 'msg_2' },
    );
    expect(message).toEqual({
      id: 'msg_2',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [
        { type: 'thinking', thinking: 'plan', signature: toAnthropicSignature('s1') },
        {
          type: 'tool_use',
          id: expect.stringMatching(/^toolu_/),
          name: 'Bash',
          input: { command: 'ls' },
        },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 5,
        output_tokens: 2,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
  });
});

describe('toStopReason and toAnthropicUsage', () => {
  it.each<[string | undefined, boolean, boolean, string]>([
    ['STOP', false, false, 'end_turn'],
    ['STOP', true, false, 'tool_use'],
    ['MAX_TOKENS', true, false, 'tool_use'],
    ['MAX_TOKENS', false, false, 'max_tokens'],
    ['RECITATION', false, false, 'refusal'],
    [undefined, false, true, 'refusal'],
    [undefined, false, false, 'end_turn'],
  ])('%s (calls: %s, blocked: %s) → %s', (reason, calls, blocked, expected) => {
    expect(toStopReason(reason, calls, blocked)).toBe(expected);
  });

  it('counts tool-use prompt tokens as input and never goes below zero', () => {
    expect(
      toAnthropicUsage({
        promptTokenCount: 3,
        toolUsePromptTokenCount: 4,
        cachedContentTokenCount: 9,
      }),
    ).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 9,
    });
  });
});
