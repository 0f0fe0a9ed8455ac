import { createOpenAI } from '@ai-sdk/openai';
import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { FakeGoogle, type GeminiResponse } from './fake-google/fake-google';
import { Body, modelCallsTo } from './support/model-calls';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const KEY = 'AIzaFakeKeyVVVVVVVVVVVVVVVVVVVVVVVVvvvvv';

function callAnswer(name: string, args: Record<string, unknown>): GeminiResponse {
  return {
    candidates: [
      {
        content: { role: 'model', parts: [{ functionCall: { name, args } }] },
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

describe("Responses API through the AI SDK's default OpenAI model", () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let openai: ReturnType<typeof createOpenAI>;

  const modelCalls = () => modelCallsTo(fake);

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY });
    openai = createOpenAI({ baseURL: `${proxy.url}/v1`, apiKey: TEST_PASSWORD });
  });

  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  beforeEach(() => fake.reset());

  it('generateText answers with the text and usage', async () => {
    fake.enqueue({ response: textAnswer('Hi there.') });
    const result = await generateText({
      model: openai('gemini-2.5-flash'),
      system: 'Be brief.',
      prompt: 'Say hi.',
      maxRetries: 0,
    });
    expect(result.text).toBe('Hi there.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(4);
    expect(result.usage.outputTokens).toBe(3);
    expect(modelCalls()[0].body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
  });

  it('streamText streams the text as Gemini produces it', async () => {
    const result = streamText({
      model: openai('gemini-2.5-flash'),
      prompt: 'count the words',
      maxRetries: 0,
    });
    const chunks: string[] = [];
    for await (const chunk of result.textStream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe('Hello from gemini-2.5-flash: count the words');
    expect(await result.finishReason).toBe('stop');
  });

  it('runs a multi-step tool loop, the result going back under the function name', async () => {
    fake.enqueue({ response: callAnswer('get_weather', { city: 'Oslo' }) });
    fake.enqueue({ response: textAnswer('It is snowing in Oslo.') });
    const result = await generateText({
      model: openai('gemini-2.5-flash'),
      prompt: 'Weather in Oslo?',
      maxRetries: 0,
      stopWhen: stepCountIs(3),
      tools: {
        get_weather: tool({
          description: 'The weather in a city',
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          }),
          execute: ({ city }) => Promise.resolve({ city, sky: 'snow' }),
        }),
      },
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0].toolCalls[0]).toMatchObject({
      toolName: 'get_weather',
      input: { city: 'Oslo' },
    });
    expect(result.text).toBe('It is snowing in Oslo.');
    const contents = modelCalls()[1].body.contents as Body[];
    expect(contents[1].parts[0].functionCall).toEqual({
      name: 'get_weather',
      args: { city: 'Oslo' },
    });
    expect(contents[2].parts[0].functionResponse.name).toBe('get_weather');
    expect(contents[2].parts[0].functionResponse.response.output).toContain('snow');
  });

  it('streamText runs a tool loop from streamed function-call events', async () => {
    fake.enqueue({ stream: [callAnswer('get_weather', { city: 'Lima' })] });
    fake.enqueue({ stream: [textAnswer('Foggy in Lima.')] });
    const result = streamText({
      model: openai('gemini-2.5-flash'),
      prompt: 'Weather in Lima?',
      maxRetries: 0,
      stopWhen: stepCountIs(3),
      tools: {
        get_weather: tool({
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          }),
          execute: ({ city }) => Promise.resolve(`fog in ${city}`),
        }),
      },
    });
    expect(await result.text).toBe('Foggy in Lima.');
    const steps = await result.steps;
    expect(steps[0].toolCalls.map((c) => [c.toolName, c.input])).toEqual([
      ['get_weather', { city: 'Lima' }],
    ]);
    expect(steps[0].toolResults[0].output).toBe('fog in Lima');
  });

  it('streams thought summaries as reasoning when asked for (a Gemini id needs forceReasoning)', async () => {
    const result = streamText({
      model: openai('gemini-2.5-flash'),
      prompt: 'think first',
      maxRetries: 0,
      providerOptions: { openai: { forceReasoning: true, reasoningSummary: 'auto' } },
    });
    expect(await result.reasoningText).toBe('Thinking about it.');
    expect(await result.text).toBe('Hello from gemini-2.5-flash: think first');
    expect(modelCalls()[0].body.generationConfig.thinkingConfig.includeThoughts).toBe(true);
  });

  it('keeps a Gemini 3 thought signature through a reasoning tool loop with stored items', async () => {
    fake.enqueue({
      response: {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                { text: 'I should look it up.', thought: true },
                {
                  functionCall: { name: 'lookup', args: { q: 'x' } },
                  thoughtSignature: 'c2lnLWFp',
                },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      },
    });
    fake.enqueue({ response: textAnswer('Found it.') });
    const result = await generateText({
      model: openai('gemini-3-pro-preview'),
      prompt: 'Look up x.',
      maxRetries: 0,
      stopWhen: stepCountIs(3),
      providerOptions: { openai: { forceReasoning: true, reasoningSummary: 'auto' } },
      tools: {
        lookup: tool({
          inputSchema: jsonSchema<{ q: string }>({
            type: 'object',
            properties: { q: { type: 'string' } },
            required: ['q'],
          }),
          execute: () => Promise.resolve('found'),
        }),
      },
    });
    expect(result.text).toBe('Found it.');
    expect(result.steps[0].reasoningText).toBe('I should look it up.');
    const parts = (modelCalls()[1].body.contents as Body[]).flatMap((c) => c.parts as Body[]);
    const call = parts.find((p) => p.functionCall?.name === 'lookup');
    expect(call?.thoughtSignature).toBe('c2lnLWFp');
  });

  it('generateObject gets JSON that matches the schema', async () => {
    fake.enqueue({ response: textAnswer('{"name":"Ada","born":1815}') });
    const schema = {
      type: 'object' as const,
      properties: { name: { type: 'string' as const }, born: { type: 'integer' as const } },
      required: ['name', 'born'],
      additionalProperties: false,
    };
    const { object } = await generateObject({
      model: openai('gemini-2.5-flash'),
      schema: jsonSchema<{ name: string; born: number }>(schema),
      prompt: 'Ada Lovelace',
      maxRetries: 0,
    });
    expect(object).toEqual({ name: 'Ada', born: 1815 });
    expect(modelCalls()[0].body.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseJsonSchema: { properties: { name: { type: 'string' } } },
    });
  });
});
