import type { GeminiResponse } from '../../upstream/gemini-types';
import type { ChatCompletionChunk } from './openai-types';
import { ChatStreamMapper, StreamContext } from './stream-mapper';
import { InMemoryThoughtSignatureStore } from '../common/thought-signature-store';

// `data:` events of a gemini-2.5-flash stream with thoughts on, as the Gemini API sends them.
const THINKING_STREAM: GeminiResponse[] = [
  {
    candidates: [
      { content: { role: 'model', parts: [{ text: '**Planning**\n', thought: true }] }, index: 0 },
    ],
    usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'sTRbaJ2-Oc2Jz7IP',
  },
  {
    candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, index: 0 }],
    responseId: 'sTRbaJ2-Oc2Jz7IP',
  },
  {
    candidates: [
      { content: { role: 'model', parts: [{ text: ' there.' }] }, finishReason: 'STOP', index: 0 },
    ],
    usageMetadata: {
      promptTokenCount: 9,
      candidatesTokenCount: 3,
      thoughtsTokenCount: 21,
      totalTokenCount: 33,
    },
    responseId: 'sTRbaJ2-Oc2Jz7IP',
  },
];

// gemini-3-flash-preview calling two tools in parallel: one call per event, signature on the first.
const PARALLEL_CALL_STREAM: GeminiResponse[] = [
  {
    candidates: [
      {
        content: {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'read_file', args: { path: 'a.ts' } },
              thoughtSignature: 'EqQBCqEBAdHt',
            },
          ],
        },
        index: 0,
      },
    ],
  },
  {
    candidates: [
      {
        content: {
          role: 'model',
          parts: [{ functionCall: { name: 'read_file', args: { path: 'b.ts' } } }],
        },
        index: 0,
      },
    ],
  },
  {
    candidates: [
      { content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 },
    ],
    usageMetadata: { promptTokenCount: 300, candidatesTokenCount: 40, totalTokenCount: 340 },
  },
];

function run(events: GeminiResponse[], ctx: Partial<StreamContext> = {}) {
  const signatures = new InMemoryThoughtSignatureStore();
  const mapper = new ChatStreamMapper({ model: 'gemini-2.5-flash', signatures, ...ctx });
  const chunks: ChatCompletionChunk[] = [
    ...events.flatMap((e) => mapper.map(e)),
    ...mapper.finish(),
  ];
  return { chunks, signatures, mapper };
}

const deltas = (chunks: ChatCompletionChunk[]) =>
  chunks.flatMap((c) => c.choices.map((ch) => ch.delta));

describe('ChatStreamMapper', () => {
  it('emits one chunk per event as it arrives, without buffering', () => {
    const mapper = new ChatStreamMapper({
      model: 'm',
      signatures: new InMemoryThoughtSignatureStore(),
    });
    expect(mapper.map(THINKING_STREAM[0])).toHaveLength(1);
  });

  it('sends role assistant on the first delta only', () => {
    const roles = deltas(run(THINKING_STREAM).chunks).map((d) => d.role);
    expect(roles).toEqual(['assistant', undefined, undefined, undefined]);
  });

  it('streams thoughts as reasoning_content and text as content, in order', () => {
    expect(deltas(run(THINKING_STREAM).chunks)).toEqual([
      { role: 'assistant', reasoning_content: '**Planning**\n' },
      { content: 'Hello' },
      { content: ' there.' },
      {},
    ]);
  });

  it('ends a choice with its finish_reason in a chunk of its own', () => {
    const { chunks } = run(THINKING_STREAM);
    expect(chunks.map((c) => c.choices[0].finish_reason)).toEqual([null, null, null, 'stop']);
  });

  it('gives every chunk the same id, created, model and object', () => {
    const { chunks } = run(THINKING_STREAM, {
      model: 'gemini-2.5-flash-search',
      created: 1_750_000_000,
    });
    const envelopes = new Set(
      chunks.map((c) => JSON.stringify([c.id, c.created, c.model, c.object])),
    );
    expect([...envelopes]).toEqual([
      JSON.stringify([
        'chatcmpl-sTRbaJ2-Oc2Jz7IP',
        1_750_000_000,
        'gemini-2.5-flash-search',
        'chat.completion.chunk',
      ]),
    ]);
  });

  it('sends each function call whole, with its own index, id, type and name', () => {
    const calls = deltas(run(PARALLEL_CALL_STREAM).chunks).flatMap((d) => d.tool_calls ?? []);
    expect(calls).toEqual([
      expect.objectContaining({
        index: 0,
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'read_file', arguments: '{"path":"a.ts"}' },
      }),
      expect.objectContaining({
        index: 1,
        type: 'function',
        function: { name: 'read_file', arguments: '{"path":"b.ts"}' },
      }),
    ]);
  });

  it('finishes with tool_calls when a call was emitted, though Gemini said STOP', () => {
    const { chunks } = run(PARALLEL_CALL_STREAM);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('tool_calls');
  });

  it('keeps a streamed call’s thought signature under its id', () => {
    const { chunks, signatures } = run(PARALLEL_CALL_STREAM);
    const first = deltas(chunks)[0].tool_calls![0];
    expect(signatures.get(first.id)).toBe('EqQBCqEBAdHt');
  });

  it('numbers tool calls per choice', () => {
    const event: GeminiResponse = {
      candidates: [0, 1].map((index) => ({
        content: { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
        index,
      })),
    };
    const calls = run([event]).chunks.flatMap((c) =>
      c.choices.flatMap((ch) => (ch.delta.tool_calls ?? []).map((t) => [ch.index, t.index])),
    );
    expect(calls).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('keeps candidates apart by index', () => {
    const event: GeminiResponse = {
      candidates: [
        { content: { role: 'model', parts: [{ text: 'A' }] }, index: 0 },
        { content: { role: 'model', parts: [{ text: 'B' }] }, index: 1 },
      ],
    };
    const got = run([event])
      .chunks.filter((c) => c.choices[0].delta.content)
      .map((c) => [c.choices[0].index, c.choices[0].delta]);
    expect(got).toEqual([
      [0, { role: 'assistant', content: 'A' }],
      [1, { role: 'assistant', content: 'B' }],
    ]);
  });

  it('adds a final usage chunk with no choices when include_usage was asked for', () => {
    const { chunks } = run(THINKING_STREAM, { includeUsage: true });
    expect(chunks[chunks.length - 1]).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 9,
        completion_tokens: 24,
        total_tokens: 33,
        completion_tokens_details: { reasoning_tokens: 21 },
      },
    });
  });

  it('sends usage null on the other chunks when include_usage was asked for, as OpenAI does', () => {
    const { chunks } = run(THINKING_STREAM, { includeUsage: true });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('sends no usage field without include_usage', () => {
    expect(run(THINKING_STREAM).chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('closes with stop a choice the upstream left open', () => {
    const { chunks } = run(THINKING_STREAM.slice(0, 2));
    expect(chunks[chunks.length - 1].choices[0]).toEqual({
      index: 0,
      delta: {},
      logprobs: null,
      finish_reason: 'stop',
    });
  });

  it('answers a blocked prompt with an empty assistant choice and content_filter', () => {
    const { chunks } = run([
      { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 5 } },
    ]);
    expect(chunks.map((c) => c.choices[0])).toEqual([
      {
        index: 0,
        delta: { role: 'assistant', content: '' },
        logprobs: null,
        finish_reason: 'content_filter',
      },
    ]);
  });

  it('answers an empty stream with an empty choice that stops', () => {
    expect(run([]).chunks.map((c) => c.choices[0].finish_reason)).toEqual(['stop']);
  });

  it('ignores content Gemini sends for a choice after it finished', () => {
    const late: GeminiResponse = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'late' }] }, index: 0 }],
    };
    const { chunks } = run([...THINKING_STREAM, late]);
    expect(deltas(chunks).some((d) => d.content === 'late')).toBe(false);
  });

  it('emits nothing more when finish is called twice', () => {
    const { mapper } = run(THINKING_STREAM, { includeUsage: true });
    expect(mapper.finish()).toEqual([]);
  });
});
