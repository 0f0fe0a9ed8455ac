import { AIMessageChunk, BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { FakeGoogle, type GeminiResponse, type RecordedRequest } from './fake-google/fake-google';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const KEY = 'AIzaFakeKeyLLLLLLLLLLLLLLLLLLLLLLLLlllll';

/** Google's request bodies, read loosely: the assertions say what each field must be. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

function functionCall(name: string, args: Record<string, unknown>): GeminiResponse {
  return {
    candidates: [
      {
        content: { role: 'model', parts: [{ functionCall: { name, args } }] },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 4, totalTokenCount: 16 },
  };
}

function text(answer: string): GeminiResponse {
  return {
    candidates: [
      { content: { role: 'model', parts: [{ text: answer }] }, finishReason: 'STOP', index: 0 },
    ],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 4, totalTokenCount: 16 },
  };
}

/*
 * `tool()` and `withStructuredOutput()` are called as LangChain users call them, with zod schemas;
 * only their static types are narrowed. Inferring @langchain/core's zod-interop generics costs tsc
 * about five million type instantiations per call site (minutes of `tsc --noEmit`), for nothing
 * these tests check.
 */
const langchainTool = tool as unknown as (
  fn: (input: { city: string }) => Promise<string>,
  fields: { name: string; description: string; schema: unknown },
) => StructuredToolInterface;

interface StructuredOutput {
  withStructuredOutput(
    schema: unknown,
    config: { name: string; method?: 'jsonSchema' | 'functionCalling' },
  ): Runnable<string, Person>;
}

const getWeather = langchainTool(async ({ city }) => `It is sunny in ${city}.`, {
  name: 'get_weather',
  description: 'The current weather in a city',
  schema: z.object({ city: z.string().describe('The city name') }),
});

const Person = z.object({
  name: z.string().describe('Full name'),
  born: z.number().int().describe('Year of birth'),
  languages: z.array(z.string()).nullable(),
});
type Person = z.infer<typeof Person>;

const structured = (llm: ChatOpenAI) => llm as unknown as StructuredOutput;

describe('OpenAI API through LangChain ChatOpenAI', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  const modelCalls = () =>
    fake.requests.filter(
      (r) => r.action === 'generateContent' || r.action === 'streamGenerateContent',
    ) as (RecordedRequest & {
      body: Body;
    })[];

  const chat = (model = 'gemini-2.5-flash') =>
    new ChatOpenAI({
      model,
      apiKey: TEST_PASSWORD,
      configuration: { baseURL: `${proxy.url}/v1` },
      maxRetries: 0,
    });

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY });
  });

  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  beforeEach(() => fake.reset());

  it('runs a bindTools agent loop to a final answer', async () => {
    fake.enqueue({ response: functionCall('get_weather', { city: 'Paris' }) });
    fake.enqueue({ response: text('The weather in Paris is sunny.') });
    const llm = chat().bindTools([getWeather]);
    const messages: BaseMessage[] = [
      new SystemMessage('You report the weather.'),
      new HumanMessage('Weather in Paris?'),
    ];

    let turns = 0;
    for (; turns < 5; turns++) {
      const reply = await llm.invoke(messages);
      messages.push(reply);
      if (!reply.tool_calls?.length) break;
      for (const call of reply.tool_calls) messages.push(await getWeather.invoke(call));
    }

    expect(turns).toBe(1);
    expect(messages[messages.length - 1].content).toBe('The weather in Paris is sunny.');
    const [first, second] = modelCalls();
    const declaration = first.body.tools[0].functionDeclarations[0] as Body;
    expect(declaration).toMatchObject({
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    });
    expect(JSON.stringify(declaration)).not.toMatch(/\$schema|additionalProperties/);
    const contents = second.body.contents as Body[];
    expect(contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(contents[2].parts[0].functionResponse).toMatchObject({ name: 'get_weather' });
    expect(JSON.stringify(contents[2].parts[0].functionResponse.response)).toContain(
      'It is sunny in Paris.',
    );
  });

  it('streams an answer chunk by chunk with usage at the end', async () => {
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await chat().stream('stream this answer')) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    const whole = chunks.reduce((acc, c) => acc.concat(c));
    expect(whole.content).toBe('Hello from gemini-2.5-flash: stream this answer');
    expect(whole.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(whole.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(modelCalls()[0].action).toBe('streamGenerateContent');
  });

  it('streams a tool call that LangChain assembles', async () => {
    fake.enqueue({ stream: [functionCall('get_weather', { city: 'Rome' })] });
    let whole: AIMessageChunk | undefined;
    for await (const chunk of await chat().bindTools([getWeather]).stream('Weather in Rome?')) {
      whole = whole ? whole.concat(chunk) : chunk;
    }
    expect(whole?.tool_calls).toEqual([
      expect.objectContaining({ name: 'get_weather', args: { city: 'Rome' } }),
    ]);
  });

  it('returns structured output through a JSON schema', async () => {
    fake.enqueue({ response: text('{"name":"Ada Lovelace","born":1815,"languages":["English"]}') });
    const result = await structured(chat())
      .withStructuredOutput(Person, { name: 'person' })
      .invoke('Who wrote the first program?');
    expect(result).toEqual({ name: 'Ada Lovelace', born: 1815, languages: ['English'] });
    const config = modelCalls()[0].body.generationConfig as Body;
    expect(config.responseMimeType).toBe('application/json');
    expect(config.responseJsonSchema ?? config.responseSchema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' }, born: { type: 'integer' } },
    });
  });

  it('returns structured output through function calling', async () => {
    fake.enqueue({
      response: functionCall('person', { name: 'Grace Hopper', born: 1906, languages: null }),
    });
    const result = await structured(chat())
      .withStructuredOutput(Person, { name: 'person', method: 'functionCalling' })
      .invoke('Who wrote the first compiler?');
    expect(result).toEqual({ name: 'Grace Hopper', born: 1906, languages: null });
    const seen = modelCalls()[0].body;
    expect(seen.tools[0].functionDeclarations[0].name).toBe('person');
    expect(seen.toolConfig).toMatchObject({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['person'] },
    });
  });
});
