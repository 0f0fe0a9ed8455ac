import type { GeminiPart, GeminiResponse } from '../../upstream/gemini-types';
import { InMemoryThoughtSignatureStore } from '../common/thought-signature-store';
import { ResponseEventSequencer } from './event-sequencer';
import { responseSkeleton } from './response-object';
import type { ClientTool } from './responses-tools';
import type { ResponseStreamEvent } from './responses-types';

const chunk = (
  parts: GeminiPart[],
  extra: Partial<GeminiResponse['candidates'] & object> = {},
): GeminiResponse => ({
  candidates: [{ content: { role: 'model', parts }, ...extra }],
});
const done = (finishReason = 'STOP'): GeminiResponse => ({
  candidates: [{ content: { role: 'model', parts: [] }, finishReason }],
  usageMetadata: {
    promptTokenCount: 5,
    candidatesTokenCount: 2,
    thoughtsTokenCount: 3,
    totalTokenCount: 10,
  },
});

const TOOLS = new Map<string, ClientTool>([
  ['apply_patch', { kind: 'custom', name: 'apply_patch' }],
  [
    'multi_agent_v1.close_agent',
    { kind: 'function', name: 'close_agent', namespace: 'multi_agent_v1' },
  ],
]);

function sequencer(options: { seal?: boolean; signatures?: InMemoryThoughtSignatureStore } = {}) {
  return new ResponseEventSequencer({
    response: responseSkeleton({ model: 'gemini-3-pro-preview' }, 'resp_1', 100),
    tools: TOOLS,
    signatures: options.signatures ?? new InMemoryThoughtSignatureStore(),
    seal: options.seal ? (sigs) => `sealed:${JSON.stringify(sigs)}` : undefined,
    now: () => 200,
  });
}

function run(chunks: GeminiResponse[], options: { seal?: boolean } = {}) {
  const seq = sequencer(options);
  const events = [...seq.start(), ...chunks.flatMap((c) => seq.push(c)), ...seq.finish()];
  return { seq, events, types: events.map((e) => e.type) };
}

const field = (events: ResponseStreamEvent[], type: string, key: string) =>
  events.filter((e) => e.type === type).map((e) => e[key]);

describe('ResponseEventSequencer', () => {
  it.each([
    [
      'text',
      [chunk([{ text: 'Hel' }]), chunk([{ text: 'lo' }]), done()],
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ],
    ],
    [
      'thoughts, then text',
      [chunk([{ text: 'Hmm', thought: true }]), chunk([{ text: 'Yes' }]), done()],
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.reasoning_summary_part.added',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ],
    ],
    [
      'a function call',
      [chunk([{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }]), done()],
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.done',
        'response.output_item.done',
        'response.completed',
      ],
    ],
    [
      'a custom tool call',
      [
        chunk([{ functionCall: { name: 'apply_patch', args: { input: '*** Begin Patch' } } }]),
        done(),
      ],
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.custom_tool_call_input.delta',
        'response.custom_tool_call_input.done',
        'response.output_item.done',
        'response.completed',
      ],
    ],
  ])('sequences %s in OpenAI order, numbered from 0', (_name, chunks, types) => {
    const { events } = run(chunks);
    expect(events.map((e) => e.type)).toEqual(types);
    expect(events.map((e) => e.sequence_number)).toEqual(types.map((_, i) => i));
  });

  it('gives every event of an item its id and output index', () => {
    const { events, seq } = run([chunk([{ text: 'a', thought: true }, { text: 'b' }]), done()]);
    const [reasoning, message] = seq.result.output;
    const itemEvents = events.filter((e) => 'item_id' in e);
    for (const e of itemEvents) {
      const item = e.output_index === 0 ? reasoning : message;
      expect(e.item_id).toBe(item.id);
    }
    expect(field(events, 'response.output_item.added', 'output_index')).toEqual([0, 1]);
  });

  it('ends with a response holding every item, usage and completed_at', () => {
    const { seq, events } = run([
      chunk([{ text: 'Hmm', thought: true }]),
      chunk([{ text: 'Yes' }]),
      done(),
    ]);
    const final = events.at(-1)?.response;
    expect(final).toEqual(seq.result);
    expect(seq.result).toMatchObject({
      status: 'completed',
      completed_at: 200,
      output: [
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Hmm' }] },
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Yes', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 5,
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 3 },
        total_tokens: 10,
      },
    });
  });

  it('returns a custom tool call with its raw input and a namespaced call with its namespace', () => {
    const { seq } = run([
      chunk([
        { functionCall: { name: 'apply_patch', args: { input: 'PATCH' } } },
        { functionCall: { name: 'multi_agent_v1.close_agent', args: { id: 'a' } } },
      ]),
      done(),
    ]);
    expect(seq.result.output).toMatchObject([
      { type: 'custom_tool_call', name: 'apply_patch', input: 'PATCH', status: 'completed' },
      {
        type: 'function_call',
        name: 'close_agent',
        namespace: 'multi_agent_v1',
        arguments: '{"id":"a"}',
      },
    ]);
  });

  it("uses Gemini's call id when it gives one", () => {
    const { seq } = run([chunk([{ functionCall: { name: 'f', args: {}, id: 'g-1' } }]), done()]);
    expect(seq.result.output[0]).toMatchObject({ type: 'function_call', call_id: 'g-1' });
  });

  it('seals the signature of a call into the reasoning item before it', () => {
    const signatures = new InMemoryThoughtSignatureStore();
    const seq = sequencer({ seal: true, signatures });
    seq.push(chunk([{ text: 'plan', thought: true }]));
    seq.push(chunk([{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'SIG' }]));
    seq.finish();
    const [reasoning, call] = seq.result.output;
    if (call.type !== 'function_call') throw new Error('expected a call');
    expect(reasoning).toMatchObject({
      type: 'reasoning',
      encrypted_content: `sealed:${JSON.stringify({ [call.call_id]: 'SIG' })}`,
    });
    expect(signatures.get(call.call_id)).toBe('SIG');
  });

  it('adds a reasoning item to carry a signature when no thoughts were shown', () => {
    const { seq } = run(
      [chunk([{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'SIG' }]), done()],
      {
        seal: true,
      },
    );
    expect(seq.result.output.map((i) => i.type)).toEqual(['reasoning', 'function_call']);
    expect(seq.result.output[0]).toMatchObject({
      summary: [],
      encrypted_content: expect.stringContaining('SIG'),
    });
  });

  it('keeps signatures out of the output when encrypted content was not asked for', () => {
    const { seq } = run([
      chunk([{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'SIG' }]),
      done(),
    ]);
    expect(seq.result.output.map((i) => i.type)).toEqual(['function_call']);
    expect(JSON.stringify(seq.result)).not.toContain('SIG');
  });

  it.each([
    [
      'MAX_TOKENS',
      'response.incomplete',
      { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    ],
    [
      'SAFETY',
      'response.incomplete',
      { status: 'incomplete', incomplete_details: { reason: 'content_filter' } },
    ],
    [
      'MALFORMED_FUNCTION_CALL',
      'response.failed',
      { status: 'failed', error: { code: 'server_error' } },
    ],
  ])('ends a %s answer with %s', (reason, terminal, fields) => {
    const { types, seq } = run([chunk([{ text: 'partial' }]), done(reason)]);
    expect(types.at(-1)).toBe(terminal);
    expect(seq.result).toMatchObject(fields);
  });

  it('ends a blocked prompt as incomplete for the content filter', () => {
    const { types, seq } = run([{ promptFeedback: { blockReason: 'SAFETY' } }]);
    expect(types).toEqual(['response.created', 'response.in_progress', 'response.incomplete']);
    expect(seq.result.incomplete_details).toEqual({ reason: 'content_filter' });
  });

  it('reports a failure after the start as response.failed, continuing the numbering', () => {
    const seq = sequencer();
    const before = [...seq.start(), ...seq.push(chunk([{ text: 'half' }]))];
    const failed = seq.fail({ code: 'rate_limit_exceeded', message: 'slow down' });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      type: 'response.failed',
      sequence_number: before.length,
      response: { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow down' } },
    });
    expect(seq.finish()).toEqual([]);
  });
});
