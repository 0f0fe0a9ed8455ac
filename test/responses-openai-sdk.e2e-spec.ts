import OpenAI, { BadRequestError, NotFoundError, RateLimitError } from 'openai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { FakeGoogle, type GeminiResponse } from './fake-google/fake-google';
import { rateLimited } from './fake-google/google-errors';
import { Body, modelCallsTo } from './support/model-calls';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const KEY = 'AIzaFakeKeyRRRRRRRRRRRRRRRRRRRRRRRRrrrrr';

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city',
  strict: true,
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

function callAnswer(name: string, args: Record<string, unknown>, thoughtSignature?: string) {
  return {
    candidates: [
      {
        content: {
          role: 'model',
          parts: [
            { functionCall: { name, args }, ...(thoughtSignature ? { thoughtSignature } : {}) },
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
  } satisfies GeminiResponse;
}

function textAnswer(text: string, extra: Partial<GeminiResponse> = {}): GeminiResponse {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 7 },
    ...extra,
  };
}

describe('Responses API through the openai SDK', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let openai: OpenAI;

  const modelCalls = () => modelCallsTo(fake);
  const lastModelCall = () => modelCalls()[modelCalls().length - 1];

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      STREAM_HEARTBEAT_MS: '100',
    });
    openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: TEST_PASSWORD, maxRetries: 0 });
  });

  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  beforeEach(() => fake.reset());

  it('answers responses.create with output_text, usage and instructions as the system instruction', async () => {
    fake.enqueue({
      response: textAnswer('Bonjour.', {
        usageMetadata: {
          promptTokenCount: 9,
          candidatesTokenCount: 2,
          thoughtsTokenCount: 4,
          cachedContentTokenCount: 3,
          totalTokenCount: 15,
        },
      }),
    });
    const response = await openai.responses.create({
      model: 'gemini-2.5-flash',
      instructions: 'Answer in French.',
      input: 'Say hello.',
    });
    expect(response.object).toBe('response');
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Bonjour.');
    expect(response.usage).toEqual({
      input_tokens: 9,
      input_tokens_details: { cached_tokens: 3 },
      output_tokens: 6,
      output_tokens_details: { reasoning_tokens: 4 },
      total_tokens: 15,
    });
    const body = lastModelCall().body;
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Answer in French.' }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Say hello.' }] }]);
  });

  it('streams typed events in order, ending in response.completed', async () => {
    const stream = await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: 'stream please',
      reasoning: { summary: 'auto' },
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('response.created');
    expect(types[1]).toBe('response.in_progress');
    expect(types.at(-1)).toBe('response.completed');
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(types).toEqual(
      expect.arrayContaining([
        'response.reasoning_summary_text.delta',
        'response.output_text.delta',
        'response.output_item.done',
      ]),
    );
    const text = events
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => (e as { delta: string }).delta)
      .join('');
    expect(text).toBe('Hello from gemini-2.5-flash: stream please');
    const done = events.at(-1) as Extract<ResponseStreamEvent, { type: 'response.completed' }>;
    expect(done.response.output.map((i) => i.type)).toEqual(['reasoning', 'message']);
  });

  it('gives responses.stream a final response the SDK assembles', async () => {
    const runner = openai.responses.stream({ model: 'gemini-2.5-flash', input: 'assemble this' });
    const deltas: string[] = [];
    runner.on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await runner.finalResponse();
    expect(final.output_text).toBe('Hello from gemini-2.5-flash: assemble this');
    expect(deltas.join('')).toBe(final.output_text);
  });

  it('stores a response: retrieve, input_items, then delete and a 404', async () => {
    const created = await openai.responses.create({ model: 'gemini-2.5-flash', input: 'keep me' });
    const got = await openai.responses.retrieve(created.id);
    expect(got.output_text).toBe(created.output_text);
    const items = await openai.responses.inputItems.list(created.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'keep me' }],
    });
    await openai.responses.delete(created.id);
    await expect(openai.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('continues a stored conversation with previous_response_id', async () => {
    fake.enqueue({ response: textAnswer('Your name is Ada.') });
    const first = await openai.responses.create({ model: 'gemini-2.5-flash', input: 'I am Ada.' });
    fake.enqueue({ response: textAnswer('Ada.') });
    await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: 'Who am I?',
      previous_response_id: first.id,
    });
    expect(lastModelCall().body.contents).toEqual([
      { role: 'user', parts: [{ text: 'I am Ada.' }] },
      { role: 'model', parts: [{ text: 'Your name is Ada.' }] },
      { role: 'user', parts: [{ text: 'Who am I?' }] },
    ]);
  });

  it('answers 404 for an unknown previous_response_id', async () => {
    await expect(
      openai.responses.create({
        model: 'gemini-2.5-flash',
        input: 'x',
        previous_response_id: 'resp_missing',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('round-trips a function tool: call, then its output answered by name', async () => {
    fake.enqueue({ response: callAnswer('get_weather', { city: 'Paris' }) });
    const first = await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: 'Weather in Paris?',
      tools: [weatherTool],
    });
    const call = first.output.find((i) => i.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    const declared = lastModelCall().body.tools[0].functionDeclarations[0];
    expect(declared.name).toBe('get_weather');
    expect(declared.parameters).not.toHaveProperty('additionalProperties');

    fake.enqueue({ response: textAnswer('Sunny in Paris.') });
    const second = await openai.responses.create({
      model: 'gemini-2.5-flash',
      previous_response_id: first.id,
      tools: [weatherTool],
      input: [
        {
          type: 'function_call_output',
          call_id: call!.type === 'function_call' ? call!.call_id : '',
          output: '{"sky":"sunny"}',
        },
      ],
    });
    expect(second.output_text).toBe('Sunny in Paris.');
    const contents = lastModelCall().body.contents as Body[];
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }],
    });
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_weather', response: { output: '{"sky":"sunny"}' } } },
      ],
    });
  });

  it('carries a Gemini 3 thought signature statelessly in sealed encrypted_content', async () => {
    fake.enqueue({ response: callAnswer('get_weather', { city: 'Lima' }, 'c2lnLWxpbWE=') });
    const first = await openai.responses.create({
      model: 'gemini-3-pro-preview',
      input: 'Weather in Lima?',
      tools: [weatherTool],
      store: false,
      include: ['reasoning.encrypted_content'],
    });
    const reasoning = first.output.find((i) => i.type === 'reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.encrypted_content).toMatch(/^gp1\./);
    expect(JSON.stringify(first.output)).not.toContain('c2lnLWxpbWE=');
    const call = first.output.find((i) => i.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');

    fake.enqueue({ response: textAnswer('Cloudy.') });
    const replay = [
      { role: 'user' as const, content: 'Weather in Lima?' },
      ...(first.output as ResponseInputItem[]),
      { type: 'function_call_output' as const, call_id: call.call_id, output: 'cloudy' },
    ];
    await openai.responses.create({
      model: 'gemini-3-pro-preview',
      input: replay,
      tools: [weatherTool],
      store: false,
      include: ['reasoning.encrypted_content'],
    });
    const parts = (lastModelCall().body.contents as Body[])[1].parts as Body[];
    expect(parts[0].thoughtSignature).toBe('c2lnLWxpbWE=');
    // The stateless turn kept nothing.
    await expect(openai.responses.retrieve(first.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('ignores a forged encrypted_content and sends Google’s placeholder instead', async () => {
    fake.enqueue({ response: textAnswer('ok') });
    await openai.responses.create({
      model: 'gemini-3-pro-preview',
      store: false,
      input: [
        { role: 'user', content: 'hi' },
        { type: 'reasoning', id: 'rs_x', summary: [], encrypted_content: 'gp1.Zm9yZ2Vk' },
        { type: 'function_call', call_id: 'call_forged', name: 'get_weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_forged', output: 'x' },
      ],
      tools: [weatherTool],
    });
    const parts = (lastModelCall().body.contents as Body[])[1].parts as Body[];
    expect(parts[0].thoughtSignature).toBe('skip_thought_signature_validator');
  });

  it('asks Gemini for JSON with the schema of text.format', async () => {
    fake.enqueue({ response: textAnswer('{"name":"Ada","born":1815}') });
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, born: { type: 'integer' } },
      required: ['name', 'born'],
      additionalProperties: false,
    };
    const response = await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: 'Ada Lovelace as JSON',
      text: { format: { type: 'json_schema', name: 'person', schema, strict: true } },
    });
    expect(JSON.parse(response.output_text)).toEqual({ name: 'Ada', born: 1815 });
    expect(lastModelCall().body.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
  });

  it('resolves an item_reference to a stored item', async () => {
    fake.enqueue({ response: textAnswer('Remembered.') });
    const first = await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: 'Remember 7.',
    });
    fake.enqueue({ response: textAnswer('7.') });
    await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: [
        { type: 'item_reference', id: first.output[0].id! },
        { role: 'user', content: 'Which number?' },
      ],
    });
    expect(lastModelCall().body.contents).toEqual([
      { role: 'model', parts: [{ text: 'Remembered.' }] },
      { role: 'user', parts: [{ text: 'Which number?' }] },
    ]);
  });

  it('pages input_items newest first by default, oldest first when asked', async () => {
    const created = await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: [
        { role: 'user', content: 'one' },
        { role: 'user', content: 'two' },
        { role: 'user', content: 'three' },
      ],
    });
    const texts = (items: object[]) =>
      items.map((i) => ((i as { content?: unknown }).content as { text: string }[])[0].text);
    const newest = await openai.responses.inputItems.list(created.id, { limit: 2 });
    expect(texts(newest.data)).toEqual(['three', 'two']);
    expect(newest.has_more).toBe(true);
    const asc = await openai.responses.inputItems.list(created.id, { order: 'asc' });
    expect(texts(asc.data)).toEqual(['one', 'two', 'three']);
  });

  it('returns a custom tool call the client sees as one, and takes its output back', async () => {
    const patchTool = {
      type: 'custom' as const,
      name: 'apply_patch',
      description: 'Edit files.',
      format: { type: 'grammar' as const, syntax: 'lark' as const, definition: 'start: "x"' },
    };
    fake.enqueue({ response: callAnswer('apply_patch', { input: '*** Begin Patch' }) });
    const first = await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: 'patch it',
      tools: [patchTool],
    });
    const call = first.output[0];
    expect(call).toMatchObject({
      type: 'custom_tool_call',
      name: 'apply_patch',
      input: '*** Begin Patch',
    });
    if (call.type !== 'custom_tool_call') throw new Error('expected a custom tool call');
    fake.enqueue({ response: textAnswer('Patched.') });
    await openai.responses.create({
      model: 'gemini-2.5-flash',
      previous_response_id: first.id,
      tools: [patchTool],
      input: [{ type: 'custom_tool_call_output', call_id: call.call_id, output: 'Done!' }],
    });
    expect((lastModelCall().body.contents as Body[])[2]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'apply_patch', response: { output: 'Done!' } } }],
    });
  });

  it('counts input tokens through Gemini countTokens', async () => {
    const counted = await openai.responses.inputTokens.count({
      model: 'gemini-2.5-flash',
      input: 'one two three',
    });
    expect(counted.object).toBe('response.input_tokens');
    expect(counted.input_tokens).toBeGreaterThan(0);
  });

  it('refuses a parameter it cannot honour with a 400 naming it', async () => {
    const error = await openai.responses
      .create({ model: 'gemini-2.5-flash', input: 'x', background: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('background');
  });

  it('passes a pool 429 on as a RateLimitError before the stream starts', async () => {
    // Cooldowns are per model: another model keeps the key usable for the other tests.
    fake.failNext(rateLimited(30), { model: 'gemini-2.5-flash-lite' });
    await expect(
      openai.responses.create({ model: 'gemini-2.5-flash-lite', input: 'x', stream: true }),
    ).rejects.toBeInstanceOf(RateLimitError);
  });

  it('sends heartbeat comments while the model is silent', async () => {
    // Eight heartbeat periods: a busy machine's pauses cannot swallow them all.
    fake.failNext({ kind: 'slowFirstByte', ms: 800 });
    const res = await fetch(`${proxy.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gemini-2.5-flash', input: 'slow', stream: true }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.indexOf(': keep-alive')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(': keep-alive')).toBeLessThan(text.indexOf('event: response.created'));
    expect(text).toContain('event: response.completed');
  });

  it("answers 401 in OpenAI's shape without the password", async () => {
    const res = await fetch(`${proxy.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gemini-2.5-flash', input: 'x' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Body).error.type).toBe('authentication_error');
  });

  it('ends a stream cut mid-way with response.failed', async () => {
    fake.failNext({ kind: 'cutMidStream', afterEvents: 1 });
    const stream = await openai.responses.create({
      model: 'gemini-2.5-flash',
      input: 'a long answer please',
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.failed');
  });
});
