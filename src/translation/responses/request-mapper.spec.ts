import { ApiError } from '../../errors/api-error';
import { rulesOver } from '../common/request-rules';
import { InMemoryThoughtSignatureStore } from '../common/thought-signature-store';
import { normaliseInput } from './input-items';
import { ReasoningSeal } from './reasoning-seal';
import { toGeminiResponsesRequest } from './request-mapper';
import type { ResponseCreateRequest } from './responses-types';

const PNG = 'iVBORw0KGgo=';
const seal = new ReasoningSeal(Buffer.alloc(32, 7));

function deps(signatures = new InMemoryThoughtSignatureStore()) {
  return {
    rules: rulesOver((url: string) =>
      url.includes('fail')
        ? Promise.reject(new Error('refused'))
        : Promise.resolve({ mimeType: 'image/png', data: 'cmVtb3Rl' }),
    ),
    signatures,
    seal,
  };
}

function map(req: Partial<ResponseCreateRequest>, signatures?: InMemoryThoughtSignatureStore) {
  const full = { model: 'gemini-2.5-flash', ...req } as ResponseCreateRequest;
  return toGeminiResponsesRequest(full, normaliseInput(full.input), deps(signatures));
}

async function problem(
  req: Partial<ResponseCreateRequest>,
): Promise<{ param?: string; message: string }> {
  const error = await map(req).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error('expected an ApiError');
  expect(error.status).toBe(400);
  return { param: error.param, message: error.message };
}

describe('toGeminiResponsesRequest', () => {
  describe('input → contents', () => {
    it.each([
      ['a string input', 'Hi', [{ role: 'user', parts: [{ text: 'Hi' }] }]],
      [
        'messages with string and part content',
        [
          { role: 'user', content: 'Q1' },
          {
            type: 'message',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'A1', annotations: [] }],
          },
          { role: 'user', content: [{ type: 'input_text', text: 'Q2' }] },
        ],
        [
          { role: 'user', parts: [{ text: 'Q1' }] },
          { role: 'model', parts: [{ text: 'A1' }] },
          { role: 'user', parts: [{ text: 'Q2' }] },
        ],
      ],
      [
        'an input_image data URL',
        [
          {
            role: 'user',
            content: [
              { type: 'input_image', detail: 'auto', image_url: `data:image/png;base64,${PNG}` },
            ],
          },
        ],
        [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: PNG } }] }],
      ],
      [
        'an input_image http URL, fetched',
        [
          {
            role: 'user',
            content: [{ type: 'input_image', image_url: 'https://example.com/a.png' }],
          },
        ],
        [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: 'cmVtb3Rl' } }] }],
      ],
      [
        'an input_file with file_data',
        [
          {
            role: 'user',
            content: [
              {
                type: 'input_file',
                filename: 'a.pdf',
                file_data: 'data:application/pdf;base64,JVBERg==',
              },
            ],
          },
        ],
        [
          {
            role: 'user',
            parts: [{ inlineData: { mimeType: 'application/pdf', data: 'JVBERg==' } }],
          },
        ],
      ],
      [
        'a function call and its output, answered by the function name',
        [
          { role: 'user', content: 'weather?' },
          {
            type: 'function_call',
            call_id: 'c1',
            name: 'get_weather',
            arguments: '{"city":"Rome"}',
          },
          { type: 'function_call', call_id: 'c2', name: 'get_time', arguments: '{}' },
          { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
          {
            type: 'function_call_output',
            call_id: 'c2',
            output: [{ type: 'input_text', text: 'noon' }],
          },
        ],
        [
          { role: 'user', parts: [{ text: 'weather?' }] },
          {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
              { functionCall: { name: 'get_time', args: {} } },
            ],
          },
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
              { functionResponse: { name: 'get_time', response: { output: 'noon' } } },
            ],
          },
        ],
      ],
      [
        'a custom tool call, as one string argument',
        [
          { role: 'user', content: 'patch it' },
          {
            type: 'custom_tool_call',
            call_id: 'p1',
            name: 'apply_patch',
            input: '*** Begin Patch',
          },
          { type: 'custom_tool_call_output', call_id: 'p1', output: 'Done' },
        ],
        [
          { role: 'user', parts: [{ text: 'patch it' }] },
          {
            role: 'model',
            parts: [{ functionCall: { name: 'apply_patch', args: { input: '*** Begin Patch' } } }],
          },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'apply_patch', response: { output: 'Done' } } }],
          },
        ],
      ],
      [
        'a namespaced call, under its flattened name',
        [
          { role: 'user', content: 'close it' },
          {
            type: 'function_call',
            call_id: 'n1',
            name: 'close_agent',
            namespace: 'multi_agent_v1',
            arguments: '{}',
          },
          { type: 'function_call_output', call_id: 'n1', output: 'closed' },
        ],
        [
          { role: 'user', parts: [{ text: 'close it' }] },
          {
            role: 'model',
            parts: [{ functionCall: { name: 'multi_agent_v1.close_agent', args: {} } }],
          },
          {
            role: 'user',
            parts: [
              {
                functionResponse: {
                  name: 'multi_agent_v1.close_agent',
                  response: { output: 'closed' },
                },
              },
            ],
          },
        ],
      ],
      [
        'a reasoning item, which is not replayed',
        [
          { role: 'user', content: 'Hi' },
          { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }] },
          { role: 'assistant', content: 'Hello' },
        ],
        [
          { role: 'user', parts: [{ text: 'Hi' }] },
          { role: 'model', parts: [{ text: 'Hello' }] },
        ],
      ],
    ])('maps %s', async (_name, input, contents) => {
      expect((await map({ input: input })).request.contents).toEqual(contents);
    });

    it('puts instructions first, then system and developer messages, into systemInstruction', async () => {
      const { request } = await map({
        instructions: 'Be brief.',
        input: [
          { role: 'developer', content: [{ type: 'input_text', text: 'Use tools.' }] },
          { role: 'system', content: 'No emoji.' },
          { role: 'user', content: 'Hi' },
        ],
      });
      expect(request.systemInstruction).toEqual({
        parts: [{ text: 'Be brief.' }, { text: 'Use tools.' }, { text: 'No emoji.' }],
      });
    });
  });

  describe('thought signatures', () => {
    const conversation = [
      { role: 'user', content: 'weather?' },
      { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
    ];
    const firstCall = async (
      req: Partial<ResponseCreateRequest>,
      store?: InMemoryThoughtSignatureStore,
    ) => (await map(req, store)).request.contents[1].parts[0].thoughtSignature;

    it.each([
      [
        'restores a signature sealed for this model',
        'gemini-3-pro-preview',
        'gemini-3-pro-preview',
        'c2ln',
      ],
      [
        'ignores one sealed for another model',
        'gemini-3-flash-preview',
        'gemini-3-pro-preview',
        'skip_thought_signature_validator',
      ],
    ])('%s', async (_name, sealedFor, model, expected) => {
      const reasoning = {
        type: 'reasoning',
        id: 'rs_1',
        summary: [],
        encrypted_content: seal.seal({ model: sealedFor, signatures: { c1: 'c2ln' } }),
      };
      const input = [conversation[0], reasoning, ...conversation.slice(1)];
      expect(await firstCall({ model, input: input })).toBe(expected);
    });

    it('restores a signature kept server-side by call id', async () => {
      const store = new InMemoryThoughtSignatureStore();
      store.set('c1', 'c2VydmVy');
      const input = conversation as ResponseCreateRequest['input'];
      expect(await firstCall({ model: 'gemini-3-pro-preview', input }, store)).toBe('c2VydmVy');
    });

    it('sends no placeholder to models that do not validate signatures', async () => {
      const input = conversation as ResponseCreateRequest['input'];
      expect(await firstCall({ model: 'gemini-2.5-pro', input })).toBeUndefined();
    });
  });

  describe('generation config', () => {
    it.each([
      ['max_output_tokens', { max_output_tokens: 200 }, { maxOutputTokens: 200 }],
      [
        "max_output_tokens above the model's limit, clipped to it",
        { max_output_tokens: 128_000 },
        { maxOutputTokens: 65_536 },
      ],
      ['temperature and top_p', { temperature: 0.2, top_p: 0.9 }, { temperature: 0.2, topP: 0.9 }],
      [
        'text.format json_object',
        { text: { format: { type: 'json_object' } } },
        { responseMimeType: 'application/json' },
      ],
      [
        'text.format json_schema',
        { text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object' } } } },
        { responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } },
      ],
      [
        'reasoning.summary, as thought summaries',
        { reasoning: { summary: 'auto' } },
        { thinkingConfig: { includeThoughts: true } },
      ],
      [
        'reasoning.generate_summary, the deprecated name',
        { reasoning: { generate_summary: 'concise' } },
        { thinkingConfig: { includeThoughts: true } },
      ],
      [
        'reasoning.effort alone, without thoughts shown',
        { reasoning: { effort: 'low' } },
        { thinkingConfig: { thinkingBudget: 1024 } },
      ],
      [
        'reasoning.effort max',
        { reasoning: { effort: 'max' } },
        { thinkingConfig: { thinkingBudget: 24576 } },
      ],
    ])('maps %s', async (_name, fields, expected) => {
      const { request } = await map({ input: 'x', ...(fields as Partial<ResponseCreateRequest>) });
      expect(request.generationConfig).toEqual(expected);
    });

    it('leaves thinking to the model when nothing asks for it', async () => {
      expect((await map({ input: 'x' })).request.generationConfig).toBeUndefined();
    });
  });

  describe('refusals', () => {
    it.each([
      [
        'an image by file_id',
        [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }],
        'input[0].content[0].file_id',
      ],
      [
        'a result for an unknown call',
        [{ type: 'function_call_output', call_id: 'nope', output: 'x' }],
        'input[0].call_id',
      ],
      [
        'an item type with no Gemini equivalent',
        [{ type: 'computer_call', call_id: 'x' }],
        'input[0].type',
      ],
      ['a role Gemini has no place for', [{ role: 'tool', content: 'x' }], 'input[0].role'],
      [
        'arguments that are not JSON',
        [
          { role: 'user', content: 'x' },
          { type: 'function_call', call_id: 'a', name: 'f', arguments: '{' },
        ],
        'input[1].arguments',
      ],
    ])('answers 400 to %s', async (_name, input, param) => {
      expect((await problem({ input: input })).param).toBe(param);
    });

    it('answers 400 when there is nothing to send', async () => {
      expect((await problem({ input: [] })).param).toBe('input');
    });
  });
});
