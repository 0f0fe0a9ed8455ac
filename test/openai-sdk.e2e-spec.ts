import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FakeGoogle, type GeminiResponse, type RecordedRequest } from './fake-google/fake-google';
import {
  badRequest,
  permissionDenied,
  rateLimited,
  serverError,
} from './fake-google/google-errors';
import { THOUGHT_TEXT } from './fake-google/model-replies';
import { health, RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';
import { waitFor } from './support/wait';

const KEY_A = 'AIzaFakeKeyAAAAAAAAAAAAAAAAAAAAAAAAaaaaa';
const KEY_B = 'AIzaFakeKeyBBBBBBBBBBBBBBBBBBBBBBBBbbbbb';
const KEY_SOLO = 'AIzaFakeKeySSSSSSSSSSSSSSSSSSSSSSSSsssss';
/** A 1×1 transparent PNG. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Google's request bodies, read loosely: the assertions say what each field must be. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

function client(proxy: RunningProxy, apiKey = TEST_PASSWORD): OpenAI {
  return new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey, maxRetries: 0 });
}

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
};

function functionCallAnswer(
  calls: { name: string; args: Record<string, unknown>; thoughtSignature?: string }[],
): GeminiResponse {
  return {
    candidates: [
      {
        content: {
          role: 'model',
          parts: calls.map(({ name, args, thoughtSignature }) => ({
            functionCall: { name, args },
            ...(thoughtSignature ? { thoughtSignature } : {}),
          })),
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
  };
}

function textAnswer(text: string): GeminiResponse {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 7 },
  };
}

describe('OpenAI API through the openai SDK', () => {
  let fake: FakeGoogle;

  /** The bodies Google received for model calls, oldest first. */
  const modelCalls = (): (RecordedRequest & { body: Body })[] =>
    fake.requests.filter(
      (r) => r.action === 'generateContent' || r.action === 'streamGenerateContent',
    ) as (RecordedRequest & { body: Body })[];
  const lastModelCall = () => modelCalls()[modelCalls().length - 1];

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    for (const key of [KEY_A, KEY_B, KEY_SOLO]) fake.addApiKey(key);
    fake.addOAuthAccount({
      email: 'ada@example.com',
      refreshToken: 'rt-ada-0000011111',
      projectId: 'proj-ada',
    });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => fake.reset());

  describe('with an API-key pool', () => {
    let proxy: RunningProxy;
    let openai: OpenAI;

    beforeAll(async () => {
      proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: `${KEY_A},${KEY_B}` });
      openai = client(proxy);
    });

    afterAll(async () => {
      await proxy.close();
    });

    describe('chat completions', () => {
      it('answers a chat completion', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'hi there' }],
        });
        expect(res.object).toBe('chat.completion');
        expect(res.model).toBe('gemini-2.5-flash');
        expect(res.choices).toHaveLength(1);
        expect(res.choices[0].message.role).toBe('assistant');
        expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-flash: hi there');
        expect(res.choices[0].finish_reason).toBe('stop');
        expect(res.usage?.prompt_tokens).toBeGreaterThan(0);
        expect(res.usage?.total_tokens).toBeGreaterThan(res.usage!.prompt_tokens);
      });

      it('returns thoughts as reasoning_content and counts them as reasoning tokens', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'think' }],
        });
        const message = res.choices[0].message as (typeof res.choices)[0]['message'] & {
          reasoning_content?: string;
        };
        expect(message.reasoning_content).toBe(THOUGHT_TEXT);
        expect(message.content).toBe('Hello from gemini-2.5-flash: think');
        expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBe(3);
      });

      it('sends system and developer messages as the system instruction', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'developer', content: 'Use French.' },
            { role: 'user', content: 'hello' },
          ],
        });
        const seen = lastModelCall().body;
        expect(seen.systemInstruction.parts.map((p: Body) => p.text)).toEqual([
          'Be brief.',
          'Use French.',
        ]);
        expect(seen.contents).toEqual([{ role: 'user', parts: [{ text: 'hello' }] }]);
      });

      it('maps sampling options onto generationConfig', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'x' }],
          temperature: 0.3,
          top_p: 0.8,
          max_completion_tokens: 256,
          stop: 'END',
          seed: 42,
        });
        expect(lastModelCall().body.generationConfig).toMatchObject({
          temperature: 0.3,
          topP: 0.8,
          maxOutputTokens: 256,
          stopSequences: ['END'],
          seed: 42,
        });
      });

      it('answers n choices from n candidates', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'two please' }],
          n: 2,
        });
        expect(res.choices.map((c) => [c.index, c.message.content])).toEqual([
          [0, 'Hello from gemini-2.5-flash: two please'],
          [1, 'Hello from gemini-2.5-flash: two please #1'],
        ]);
        expect(lastModelCall().body.generationConfig.candidateCount).toBe(2);
      });

      it('sends a data-URL image as inline data', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'what is this' },
                { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
              ],
            },
          ],
        });
        expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-flash: what is this');
        const parts = lastModelCall().body.contents[0].parts as Body[];
        expect(parts).toContainEqual({ inlineData: { mimeType: 'image/png', data: PNG } });
      });

      it('asks Gemini for JSON matching a json_schema response format', async () => {
        fake.enqueue({ response: textAnswer('{"name":"Ada","born":1815}') });
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'Who wrote the first program?' }],
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: 'person',
              strict: true,
              schema: {
                type: 'object',
                properties: { name: { type: 'string' }, born: { type: 'integer' } },
                required: ['name', 'born'],
                additionalProperties: false,
              },
            },
          },
        });
        expect(JSON.parse(res.choices[0].message.content!)).toEqual({ name: 'Ada', born: 1815 });
        const config = lastModelCall().body.generationConfig as Body;
        expect(config.responseMimeType).toBe('application/json');
        expect(config.responseJsonSchema ?? config.responseSchema).toMatchObject({
          type: 'object',
          properties: { name: { type: 'string' }, born: { type: 'integer' } },
          required: ['name', 'born'],
        });
      });

      it('asks Gemini for JSON for a json_object response format', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'json please' }],
          response_format: { type: 'json_object' },
        });
        expect(lastModelCall().body.generationConfig.responseMimeType).toBe('application/json');
      });

      it('adds Google Search for a -search model and calls the base model', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash-search',
          messages: [{ role: 'user', content: 'news' }],
        });
        const call = lastModelCall();
        expect(call.model).toBe('gemini-2.5-flash');
        expect(call.body.tools).toContainEqual({ googleSearch: {} });
      });

      it('switches thinking off for a -nothinking model', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash-nothinking',
          messages: [{ role: 'user', content: 'quick' }],
        });
        const call = lastModelCall();
        expect(call.model).toBe('gemini-2.5-flash');
        expect(call.body.generationConfig.thinkingConfig).toMatchObject({ thinkingBudget: 0 });
        expect(res.choices[0].message).not.toHaveProperty('reasoning_content');
      });

      it('sets the highest budget for a -maxthinking model', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-pro-maxthinking',
          messages: [{ role: 'user', content: 'deep' }],
        });
        expect(lastModelCall().model).toBe('gemini-2.5-pro');
        expect(lastModelCall().body.generationConfig.thinkingConfig).toMatchObject({
          thinkingBudget: 32768,
        });
      });
    });

    describe('streaming', () => {
      it('streams chunks that add up to the answer and ends with a finish reason', async () => {
        const stream = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'stream me please' }],
          stream: true,
        });
        const chunks: ChatCompletionChunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        expect(chunks.length).toBeGreaterThan(2);
        expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
        expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
        expect(chunks[0].choices[0].delta.role).toBe('assistant');
        const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
        expect(text).toBe('Hello from gemini-2.5-flash: stream me please');
        expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('stop');
        expect(chunks.some((c) => c.usage)).toBe(false);
      });

      it('streams thoughts as reasoning_content deltas', async () => {
        const stream = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'think aloud' }],
          stream: true,
        });
        let reasoning = '';
        for await (const chunk of stream) {
          reasoning +=
            (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)
              ?.reasoning_content ?? '';
        }
        expect(reasoning).toBe(THOUGHT_TEXT);
      });

      it('ends the stream with a usage chunk when include_usage is asked for', async () => {
        const stream = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'count me' }],
          stream: true,
          stream_options: { include_usage: true },
        });
        const chunks: ChatCompletionChunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        const last = chunks[chunks.length - 1];
        expect(last.choices).toEqual([]);
        expect(last.usage).toMatchObject({
          prompt_tokens: expect.any(Number),
          completion_tokens: expect.any(Number),
        });
        expect(last.usage!.total_tokens).toBeGreaterThan(0);
        expect(last.usage!.completion_tokens_details?.reasoning_tokens).toBe(3);
      });

      it('ends the raw stream with data: [DONE]', async () => {
        const res = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x' }],
            stream: true,
          }),
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const text = await res.text();
        expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      });

      it('answers a failure before the first byte with a real status', async () => {
        fake.failNext(badRequest('Invalid value at contents[0].parts[0]'));
        const attempt = openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'x' }],
          stream: true,
        });
        await expect(attempt).rejects.toBeInstanceOf(BadRequestError);
      });

      it('reports a failure after the first byte as an error event the SDK raises', async () => {
        fake.failNext({ kind: 'cutMidStream', afterEvents: 1 }, { model: 'gemini-2.5-flash-lite' });
        const stream = await openai.chat.completions.create({
          model: 'gemini-2.5-flash-lite',
          messages: [{ role: 'user', content: 'one two three four five six' }],
          stream: true,
        });
        const texts: string[] = [];
        const consume = async () => {
          for await (const chunk of stream) texts.push(chunk.choices[0]?.delta.content ?? '');
        };
        const error = await consume().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(texts.join('')).not.toBe('');
        expect(error).toBeInstanceOf(APIError);
        expect((error as APIError).message).not.toBe('');
      });

      it('cancels the upstream call when the client hangs up', async () => {
        fake.failNext({ kind: 'hang' }, { model: 'gemini-2.5-flash-lite' });
        const controller = new AbortController();
        const attempt = openai.chat.completions
          .create(
            {
              model: 'gemini-2.5-flash-lite',
              messages: [{ role: 'user', content: 'x' }],
              stream: true,
            },
            { signal: controller.signal },
          )
          .catch((e: unknown) => e);
        await fake.waitForRequest((r) => r.model === 'gemini-2.5-flash-lite');
        controller.abort();
        await attempt;
        const aborted = await fake.waitForAbort((r) => r.model === 'gemini-2.5-flash-lite');
        expect(aborted.action).toBe('streamGenerateContent');
      });

      it('writes that failure as a final error frame in OpenAI’s shape, without [DONE]', async () => {
        fake.failNext({ kind: 'cutMidStream', afterEvents: 1 }, { model: 'gemini-2.5-flash-lite' });
        const res = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gemini-2.5-flash-lite',
            messages: [{ role: 'user', content: 'one two three four five six' }],
            stream: true,
          }),
        });
        expect(res.status).toBe(200);
        const frames = (await res.text())
          .split('\n\n')
          .filter((f) => f.startsWith('data: '))
          .map((f) => f.slice('data: '.length));
        expect(frames).not.toContain('[DONE]');
        expect(JSON.parse(frames[0])).toMatchObject({ object: 'chat.completion.chunk' });
        expect(JSON.parse(frames[frames.length - 1])).toEqual({
          error: { message: expect.any(String), type: expect.any(String), param: null, code: null },
        });
      });
    });

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

    describe('embeddings', () => {
      it('embeds several inputs as floats', async () => {
        const res = await openai.embeddings.create({
          model: 'gemini-embedding-001',
          input: ['first text', 'second text'],
          encoding_format: 'float',
          dimensions: 6,
        });
        expect(res.object).toBe('list');
        expect(res.model).toBe('gemini-embedding-001');
        expect(res.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
          ['embedding', 0, 6],
          ['embedding', 1, 6],
        ]);
        const batch = fake.requests.find((r) => r.action === 'batchEmbedContents')!;
        expect(batch.model).toBe('gemini-embedding-001');
        expect((batch.body as Body).requests).toEqual([
          expect.objectContaining({
            content: { parts: [{ text: 'first text' }] },
            outputDimensionality: 6,
          }),
          expect.objectContaining({
            content: { parts: [{ text: 'second text' }] },
            outputDimensionality: 6,
          }),
        ]);
      });

      it('sends base64 by default, which the SDK decodes to the same floats', async () => {
        const asFloat = await openai.embeddings.create({
          model: 'gemini-embedding-001',
          input: 'same text',
          encoding_format: 'float',
        });
        const byDefault = await openai.embeddings.create({
          model: 'gemini-embedding-001',
          input: 'same text',
        });
        expect(byDefault.data).toHaveLength(1);
        const decoded = byDefault.data[0].embedding;
        expect(decoded).toHaveLength(asFloat.data[0].embedding.length);
        decoded.forEach((v, i) => expect(v).toBeCloseTo(asFloat.data[0].embedding[i], 6));
      });

      it('returns base64 strings when asked explicitly', async () => {
        const res = await fetch(`${proxy.url}/v1/embeddings`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gemini-embedding-001',
            input: 'x',
            encoding_format: 'base64',
            dimensions: 4,
          }),
        });
        const body = (await res.json()) as { data: { embedding: string }[] };
        expect(typeof body.data[0].embedding).toBe('string');
        expect(Buffer.from(body.data[0].embedding, 'base64').byteLength).toBe(4 * 4);
      });
    });

    describe('models', () => {
      it('lists the catalogue with the proxy’s variants', async () => {
        const ids: string[] = [];
        for await (const model of openai.models.list()) {
          expect(model.object).toBe('model');
          ids.push(model.id);
        }
        expect(ids).toEqual(
          expect.arrayContaining([
            'gemini-2.5-pro',
            'gemini-2.5-pro-search',
            'gemini-2.5-flash-nothinking',
          ]),
        );
        expect(ids.every((id) => !id.startsWith('models/'))).toBe(true);
      });

      it('gets one model', async () => {
        const model = await openai.models.retrieve('gemini-2.5-flash');
        expect(model).toMatchObject({
          id: 'gemini-2.5-flash',
          object: 'model',
          owned_by: 'google',
        });
      });

      it('gets a model by its Google name', async () => {
        expect((await openai.models.retrieve('models/gemini-2.5-flash')).id).toBe(
          'gemini-2.5-flash',
        );
      });

      it('gets a variant', async () => {
        expect((await openai.models.retrieve('gemini-2.5-pro-search')).id).toBe(
          'gemini-2.5-pro-search',
        );
      });

      it('answers NotFoundError for an unknown model', async () => {
        await expect(openai.models.retrieve('gpt-17')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('errors', () => {
      it('raises AuthenticationError for a wrong password', async () => {
        const error = await client(proxy, 'wrong-password')
          .chat.completions.create({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x' }],
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuthenticationError);
        expect((error as AuthenticationError).type).toBe('authentication_error');
      });

      it('raises BadRequestError with Google’s message for Google’s 400', async () => {
        fake.failNext(badRequest('Invalid value at contents[0].parts[0].text'));
        const error = await openai.chat.completions
          .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BadRequestError);
        expect((error as BadRequestError).message).toContain(
          'Invalid value at contents[0].parts[0].text',
        );
        expect((error as BadRequestError).type).toBe('invalid_request_error');
      });

      it('raises BadRequestError naming the param for a malformed request', async () => {
        const error = await openai.chat.completions
          .create({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'robot', content: 'x' } as never],
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BadRequestError);
        expect((error as BadRequestError).param).toBe('messages[0].role');
        expect(modelCalls()).toHaveLength(0);
      });

      it.each([
        ['missing messages', { model: 'gemini-2.5-flash' }, 'messages'],
        ['empty messages', { model: 'gemini-2.5-flash', messages: [] }, 'messages'],
        [
          'a string temperature',
          {
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x' }],
            temperature: 'hot',
          },
          'temperature',
        ],
        [
          'n of zero',
          { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }], n: 0 },
          'n',
        ],
        [
          'an unknown response_format',
          {
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x' }],
            response_format: { type: 'yaml' },
          },
          'response_format.type',
        ],
      ])('answers %s with a 400 naming the field', async (_name, body, param) => {
        const res = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          error: {
            message: expect.any(String),
            type: 'invalid_request_error',
            param,
            code: expect.any(String),
          },
        });
      });

      it('answers invalid JSON with a 400 in OpenAI’s shape', async () => {
        const res = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: '{"model": "gemini-2.5-flash", "messages": [',
        });
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { message: string; type: string } };
        expect(body.error).toMatchObject({
          type: 'invalid_request_error',
          message: expect.stringMatching(/JSON/),
        });
      });

      it('tolerates fields it does not use', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'extras' }],
          logprobs: false,
          metadata: { run: '1' },
          store: false,
          service_tier: 'auto',
          some_future_field: { a: 1 },
        } as never);
        expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-flash: extras');
      });
    });
  });

  describe('errors that change the pool', () => {
    let proxy: RunningProxy;
    let openai: OpenAI;

    beforeEach(async () => {
      proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY_SOLO });
      openai = client(proxy);
    });

    afterEach(async () => {
      await proxy.close();
    });

    const ask = () =>
      openai.chat.completions
        .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);

    it('raises RateLimitError with Retry-After when every key is cooling', async () => {
      fake.failNext(rateLimited(30));
      const error = await ask();
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).message).toContain('Your quota will reset after 30s');
      expect(Number((error as RateLimitError).headers?.get('retry-after'))).toBeGreaterThanOrEqual(
        29,
      );
    });

    it('raises PermissionDeniedError with Google’s message for a 403', async () => {
      fake.failNext(
        permissionDenied(
          'SERVICE_DISABLED',
          'Generative Language API has not been used in project 42.',
        ),
      );
      const error = await ask();
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect((error as PermissionDeniedError).message).toContain(
        'Generative Language API has not been used',
      );
    });

    it('raises InternalServerError with Google’s message for a 5xx', async () => {
      fake.failNext(serverError(500), { times: 3 });
      const error = await ask();
      expect(error).toBeInstanceOf(InternalServerError);
      expect((error as InternalServerError).message).toContain('Internal error encountered.');
    });
  });

  describe('with an OAuth pool on Code Assist', () => {
    let proxy: RunningProxy;
    let openai: OpenAI;

    beforeAll(async () => {
      proxy = await startTestProxy({ ...fake.env() });
      writeFileSync(
        path.join(proxy.credentialsDir, 'oauth_creds_ada_example_com_proj-ada.json'),
        JSON.stringify({
          refresh_token: 'rt-ada-0000011111',
          project_id: 'proj-ada',
          user_email: 'ada@example.com',
        }),
        { mode: 0o600 },
      );
      await waitFor(async () => (await health(proxy)).credentials === 1);
      openai = client(proxy);
    });

    afterAll(async () => {
      await proxy.close();
    });

    it('answers a chat completion through Code Assist', async () => {
      const res = await openai.chat.completions.create({
        model: 'gemini-2.5-pro',
        messages: [{ role: 'user', content: 'via code assist' }],
      });
      expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-pro: via code assist');
      const sent = lastModelCall();
      expect(sent.api).toBe('code-assist');
      expect(sent.body).toMatchObject({
        model: 'gemini-2.5-pro',
        project: 'proj-ada',
        request: { contents: expect.any(Array) },
      });
    });

    it('streams through Code Assist', async () => {
      const stream = await openai.chat.completions.create({
        model: 'gemini-2.5-pro',
        messages: [{ role: 'user', content: 'stream via code assist' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('Hello from gemini-2.5-pro: stream via code assist');
    });

    it('explains that embeddings need an API key', async () => {
      const error = await openai.embeddings
        .create({ model: 'gemini-embedding-001', input: 'x' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServerError);
      expect((error as InternalServerError).status).toBe(503);
      expect((error as InternalServerError).message).toMatch(/GEMINI_API_KEYS/);
    });
  });
});
