import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { FakeGoogle } from './fake-google/fake-google';
import { Body, modelCallsTo } from './support/model-calls';
import { functionCallAnswer, useOpenAIPool, textAnswer, weatherTool } from './support/openai-sdk';

describe('OpenAI API through the openai SDK', () => {
  let fake: FakeGoogle;
  let openai: OpenAI;

  /** The bodies Google received for model calls, oldest first. */
  const modelCalls = () => modelCallsTo(fake);
  const lastModelCall = () => modelCalls()[modelCalls().length - 1];

  useOpenAIPool((pool) => ({ fake, openai } = pool));

  describe('with an API-key pool', () => {
    describe('tools', () => {
      it('runs a tool round trip', async () => {
        fake.enqueue({
          response: functionCallAnswer([{ name: 'get_weather', args: { city: 'Paris' } }]),
        });
        const messages: ChatCompletionMessageParam[] = [
          { role: 'user', content: 'Weather in Paris?' },
        ];
        const first = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages,
          tools: [weatherTool],
        });

        const choice = first.choices[0];
        expect(choice.finish_reason).toBe('tool_calls');
        const call = choice.message.tool_calls![0];
        expect(call.type).toBe('function');
        if (call.type !== 'function') throw new Error('expected a function call');
        expect(call.id).toEqual(expect.any(String));
        expect(call.function.name).toBe('get_weather');
        expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
        const declared = modelCalls()[0].body.tools[0].functionDeclarations[0] as Body;
        expect(declared.name).toBe('get_weather');
        expect(JSON.stringify(declared)).not.toMatch(/\$schema|additionalProperties|strict/);

        fake.enqueue({ response: textAnswer('It is sunny in Paris.') });
        messages.push(choice.message, {
          role: 'tool',
          tool_call_id: call.id,
          content: '{"sky":"sunny"}',
        });
        const second = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages,
          tools: [weatherTool],
        });
        expect(second.choices[0].message.content).toBe('It is sunny in Paris.');
        expect(second.choices[0].finish_reason).toBe('stop');

        const contents = lastModelCall().body.contents as Body[];
        expect(contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
        expect(contents[1].parts).toContainEqual(
          expect.objectContaining({
            functionCall: expect.objectContaining({ name: 'get_weather', args: { city: 'Paris' } }),
          }),
        );
        const response = contents[2].parts[0].functionResponse as Body;
        expect(response.name).toBe('get_weather');
        expect(JSON.stringify(response.response)).toContain('sunny');
      });

      it('forces a named function with tool_choice', async () => {
        fake.enqueue({
          response: functionCallAnswer([{ name: 'get_weather', args: { city: 'Oslo' } }]),
        });
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'Oslo' }],
          tools: [weatherTool],
          tool_choice: { type: 'function', function: { name: 'get_weather' } },
        });
        expect(lastModelCall().body.toolConfig).toEqual({
          functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
        });
      });

      it('streams parallel calls with their own indexes, which the SDK accumulates', async () => {
        fake.enqueue({
          stream: [
            {
              candidates: [
                {
                  content: {
                    role: 'model',
                    parts: [
                      { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
                      { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
                    ],
                  },
                  index: 0,
                },
              ],
            },
            {
              candidates: [
                {
                  content: { role: 'model', parts: [{ text: '' }] },
                  finishReason: 'STOP',
                  index: 0,
                },
              ],
              usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 6, totalTokenCount: 14 },
            },
          ],
        });
        const runner = openai.chat.completions.stream({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'Paris and Rome?' }],
          tools: [weatherTool],
        });
        const indexes: number[] = [];
        runner.on('chunk', (chunk) => {
          for (const call of chunk.choices[0]?.delta.tool_calls ?? []) indexes.push(call.index);
        });
        const final = await runner.finalChatCompletion();
        expect(indexes).toEqual([0, 1]);
        const calls = final.choices[0].message.tool_calls ?? [];
        expect(calls).toHaveLength(2);
        const fns = calls.map((c) => (c.type === 'function' ? c.function : undefined));
        expect(fns.map((f) => f?.name)).toEqual(['get_weather', 'get_weather']);
        expect(fns.map((f) => JSON.parse(f!.arguments))).toEqual([
          { city: 'Paris' },
          { city: 'Rome' },
        ]);
        expect(new Set(calls.map((c) => c.id)).size).toBe(2);
        expect(final.choices[0].finish_reason).toBe('tool_calls');
      });

      it('puts a Gemini 3 thought signature back on the replayed call', async () => {
        fake.enqueue(
          {
            response: functionCallAnswer([
              { name: 'get_weather', args: { city: 'Lima' }, thoughtSignature: 'c2lnLWxpbWE=' },
            ]),
          },
          { model: 'gemini-3-pro-preview' },
        );
        const messages: ChatCompletionMessageParam[] = [
          { role: 'user', content: 'Weather in Lima?' },
        ];
        const first = await openai.chat.completions.create({
          model: 'gemini-3-pro-preview',
          messages,
          tools: [weatherTool],
        });
        const call = first.choices[0].message.tool_calls![0];
        if (call.type !== 'function') throw new Error('expected a function call');

        // A plain OpenAI client keeps only id, type and function: the signature must be found by id.
        messages.push(
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: call.id, type: 'function', function: call.function }],
          },
          { role: 'tool', tool_call_id: call.id, content: 'warm' },
        );
        await openai.chat.completions.create({
          model: 'gemini-3-pro-preview',
          messages,
          tools: [weatherTool],
        });

        const replayed = lastModelCall().body.contents[1].parts as Body[];
        const callPart = replayed.find((p) => p.functionCall);
        expect(callPart).toMatchObject({
          functionCall: { name: 'get_weather' },
          thoughtSignature: 'c2lnLWxpbWE=',
        });
      });

      it('keeps a Gemini 3 thought signature across a streamed tool call', async () => {
        fake.enqueue(
          {
            stream: [
              functionCallAnswer([
                { name: 'get_weather', args: { city: 'Kyiv' }, thoughtSignature: 'c2lnLWt5aXY=' },
              ]),
            ],
          },
          { model: 'gemini-3-pro-preview' },
        );
        const messages: ChatCompletionMessageParam[] = [
          { role: 'user', content: 'Weather in Kyiv?' },
        ];
        const final = await openai.chat.completions
          .stream({ model: 'gemini-3-pro-preview', messages, tools: [weatherTool] })
          .finalChatCompletion();
        const call = final.choices[0].message.tool_calls![0];
        if (call.type !== 'function') throw new Error('expected a function call');
        messages.push(
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: call.id, type: 'function', function: call.function }],
          },
          { role: 'tool', tool_call_id: call.id, content: 'cold' },
        );
        await openai.chat.completions.create({
          model: 'gemini-3-pro-preview',
          messages,
          tools: [weatherTool],
        });
        const callPart = (lastModelCall().body.contents[1].parts as Body[]).find(
          (p) => p.functionCall,
        );
        expect(callPart?.thoughtSignature).toBe('c2lnLWt5aXY=');
      });
    });
  });
});
