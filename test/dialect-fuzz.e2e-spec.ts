import fc from 'fast-check';
import { FakeGoogle } from './fake-google/fake-google';
import { mutated, oddString, toolSchema } from './support/fuzz-arbitraries';
import { AUTH, credentialFates, JSON_AUTH, poolStatus } from './support/pool-harness';
import { RunningProxy, startTestProxy } from './support/proxy';

/*
 * The dialects that came after chat — OpenAI Responses, Anthropic Messages, their token-count
 * routes, the native routes under /v1, and the JSON media routes (images, speech) — fuzzed over HTTP against the running proxy and the
 * fake Google, which answers normally: any 5xx, or any change to a credential, is the proxy's own
 * doing. Every route goes through the same per-request rules, so each gets the same treatment.
 * Fixed seeds keep `npm test` deterministic; FUZZ_SEED explores others.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS_PER_ROUTE = 150;

const KEY_A = 'AIzaDialectFuzzAAAAAAAAAAAAAAAAAAAAAAAAA';
const KEY_B = 'AQ.DialectFuzzBBBBBBBBBBBBBBBBBBBBBBBBBBB';

const MODELS = ['gemini-2.5-flash', 'gemini-2.5-pro-nothinking', 'gemini-3-pro-preview-search'];
const model = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...MODELS) }, fc.constant(''));

const PNG = 'iVBORw0KGgo=';
const imageUrl = fc.constantFrom(
  `data:image/png;base64,${PNG}`,
  'data:image/png;base64,not base64!',
  // Private addresses are refused before any connection, so no case reaches the network.
  'http://127.0.0.1:1/a.png',
  'http://10.0.0.1/a.png',
  'ftp://example.com/a.png',
);
const callId = fc.constantFrom('call_1', 'call_2', 'toolu_1');
const argsJson = fc
  .dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((args) => JSON.stringify(args));

// ---------------------------------------------------------------- OpenAI Responses

const responsesContent = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('input_text'), text: fc.string({ maxLength: 30 }) }),
      fc.record({ type: fc.constant('input_image'), image_url: imageUrl }),
      fc.record({ type: fc.constant('output_text'), text: fc.string({ maxLength: 30 }) }),
      fc.record({ type: fc.constant('input_file'), file_data: oddString }),
    ),
    { maxLength: 3 },
  ),
);

const responsesItem = fc.oneof(
  fc.record(
    {
      type: fc.constant('message'),
      role: fc.constantFrom('user', 'assistant', 'system', 'developer'),
      content: responsesContent,
    },
    { requiredKeys: ['role', 'content'] },
  ),
  fc.record({
    type: fc.constant('function_call'),
    call_id: callId,
    name: fc.constantFrom('lookup', 'other'),
    arguments: argsJson,
  }),
  fc.record({
    type: fc.constant('function_call_output'),
    call_id: callId,
    output: fc.oneof(fc.string({ maxLength: 20 }), fc.constant([])),
  }),
  fc.record({
    type: fc.constant('reasoning'),
    summary: fc.constant([]),
    encrypted_content: oddString,
  }),
  fc.record({ type: fc.constant('item_reference'), id: oddString }),
);

const responsesTool = fc.oneof(
  fc.record(
    {
      type: fc.constant('function'),
      name: fc.constantFrom('lookup', 'other'),
      description: fc.string({ maxLength: 20 }),
      parameters: toolSchema,
      strict: fc.boolean(),
    },
    { requiredKeys: ['type', 'name'] },
  ),
  fc.record({ type: fc.constantFrom('custom', 'web_search', 'local_shell'), name: oddString }),
);

const responsesBody = fc.record(
  {
    model,
    input: fc.oneof(fc.string({ maxLength: 40 }), fc.array(responsesItem, { maxLength: 4 })),
    instructions: fc.string({ maxLength: 30 }),
    tools: fc.array(responsesTool, { maxLength: 3 }),
    tool_choice: fc.oneof(
      fc.constantFrom('auto', 'none', 'required'),
      fc.record({ type: fc.constant('function'), name: fc.constantFrom('lookup', 'missing') }),
    ),
    text: fc.record({
      format: fc.oneof(
        fc.record({ type: fc.constantFrom('text', 'json_object') }),
        fc.record({ type: fc.constant('json_schema'), name: fc.string(), schema: toolSchema }),
      ),
    }),
    reasoning: fc.record({
      effort: fc.constantFrom('minimal', 'low', 'medium', 'high', 'odd'),
      summary: fc.constantFrom('auto', 'detailed'),
    }),
    max_output_tokens: fc.integer({ min: -5, max: 100_000 }),
    previous_response_id: oddString,
    store: fc.boolean(),
    stream: fc.boolean(),
    include: fc.constant(['reasoning.encrypted_content']),
    temperature: fc.double({ min: -1, max: 3, noNaN: true }),
  },
  { requiredKeys: ['model', 'input'] },
);

// ---------------------------------------------------------------- Anthropic Messages

const anthropicBlock = fc.oneof(
  fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 30 }) }),
  fc.record({
    type: fc.constant('image'),
    source: fc.oneof(
      fc.record({
        type: fc.constant('base64'),
        media_type: fc.constantFrom('image/png', 'image/jpeg', 'text/html'),
        data: fc.constantFrom(PNG, 'not base64!'),
      }),
      fc.record({ type: fc.constant('url'), url: imageUrl }),
    ),
  }),
  fc.record({
    type: fc.constant('tool_use'),
    id: callId,
    name: fc.constantFrom('lookup', 'other'),
    input: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 3,
    }),
  }),
  fc.record({
    type: fc.constant('tool_result'),
    tool_use_id: callId,
    content: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.array(fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 10 }) })),
    ),
    is_error: fc.boolean(),
  }),
  fc.record({ type: fc.constant('thinking'), thinking: fc.string(), signature: oddString }),
  fc.record({
    type: fc.constant('document'),
    source: fc.record({
      type: fc.constant('base64'),
      media_type: fc.constant('application/pdf'),
      data: fc.constantFrom('JVBERi0=', '%%%'),
    }),
  }),
);

const anthropicBody = fc.record(
  {
    model,
    max_tokens: fc.integer({ min: -1, max: 64_000 }),
    system: fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(
        fc.record({
          type: fc.constant('text'),
          text: fc.string({ maxLength: 20 }),
          cache_control: fc.constant({ type: 'ephemeral' }),
        }),
        { maxLength: 2 },
      ),
    ),
    messages: fc.array(
      fc.record({
        role: fc.constantFrom('user', 'assistant'),
        content: fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.array(anthropicBlock, { minLength: 1, maxLength: 3 }),
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    tools: fc.array(
      fc.oneof(
        fc.record(
          {
            name: fc.constantFrom('lookup', 'other'),
            description: fc.string({ maxLength: 20 }),
            input_schema: toolSchema,
          },
          { requiredKeys: ['name', 'input_schema'] },
        ),
        fc.record({
          type: fc.constantFrom('web_search_20250305', 'bash_20250124'),
          name: oddString,
        }),
      ),
      { maxLength: 3 },
    ),
    tool_choice: fc.oneof(
      fc.record({ type: fc.constantFrom('auto', 'any', 'none') }),
      fc.record({ type: fc.constant('tool'), name: fc.constantFrom('lookup', 'missing') }),
    ),
    thinking: fc.oneof(
      fc.record({
        type: fc.constant('enabled'),
        budget_tokens: fc.integer({ min: -1, max: 40_000 }),
      }),
      fc.record({ type: fc.constant('disabled') }),
    ),
    stop_sequences: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
    temperature: fc.double({ min: -1, max: 3, noNaN: true }),
    top_k: fc.integer({ min: -1, max: 100 }),
    stream: fc.boolean(),
    metadata: fc.record({ user_id: oddString }),
  },
  { requiredKeys: ['model', 'max_tokens', 'messages'] },
);

// ---------------------------------------------------------------- native Gemini under /v1

const nativeBody = fc.record(
  {
    contents: fc.array(
      fc.record({
        role: fc.constantFrom('user', 'model'),
        parts: fc.array(
          fc.oneof(
            fc.record({ text: fc.string({ maxLength: 40 }) }),
            fc.record({ inlineData: fc.record({ mimeType: fc.string(), data: fc.string() }) }),
            fc.record({ fileData: fc.record({ fileUri: oddString, mimeType: fc.string() }) }),
          ),
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    generationConfig: fc.record({
      maxOutputTokens: fc.integer(),
      responseSchema: toolSchema,
    }),
  },
  { requiredKeys: ['contents'] },
);

// ---------------------------------------------------------------- OpenAI images and speech (JSON)

const IMAGE_MODELS = ['dall-e-3', 'gpt-image-1', 'gemini-3.1-flash-image'];
const imageBody = fc.record(
  {
    model: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...IMAGE_MODELS) }, fc.constant('')),
    prompt: fc.oneof(fc.string({ maxLength: 40 }), oddString),
    n: fc.integer({ min: -1, max: 12 }),
    size: fc.constantFrom('1024x1024', '1792x1024', '1024x1536', 'auto', '7x7', ''),
    quality: fc.constantFrom('standard', 'hd', 'high', 'low', 'auto', 'odd'),
    response_format: fc.constantFrom('b64_json', 'url', 'odd'),
    style: fc.constantFrom('vivid', 'natural'),
    user: oddString,
  },
  { requiredKeys: ['prompt'] },
);

const speechBody = fc.record(
  {
    model: fc.constantFrom('tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', ''),
    input: fc.oneof(fc.string({ maxLength: 60 }), oddString),
    voice: fc.constantFrom('alloy', 'nova', 'Kore', 'puck', 'nobody', ''),
    instructions: fc.string({ maxLength: 30 }),
    speed: fc.double({ min: -1, max: 5, noNaN: true }),
    response_format: fc.constantFrom('mp3', 'wav', 'pcm', 'opus', 'flac', 'odd'),
    stream_format: fc.constantFrom('audio', 'sse'),
  },
  { requiredKeys: ['model', 'input', 'voice'] },
);

// ---------------------------------------------------------------- the routes

interface Route {
  kind: string;
  path: (body: unknown) => string;
  headers?: Record<string, string>;
  bodies: fc.Arbitrary<unknown>;
}

const ANTHROPIC = { 'anthropic-version': '2023-06-01' };
const nativeAction = fc.constantFrom('generateContent', 'streamGenerateContent', 'countTokens');

const ROUTES: Route[] = [
  { kind: 'responses', path: () => '/v1/responses', bodies: mutated(responsesBody) },
  {
    kind: 'responses input_tokens',
    path: () => '/v1/responses/input_tokens',
    bodies: mutated(responsesBody),
  },
  {
    kind: 'messages',
    path: () => '/v1/messages',
    headers: ANTHROPIC,
    bodies: mutated(anthropicBody),
  },
  {
    kind: 'messages count_tokens',
    path: () => '/v1/messages/count_tokens',
    headers: ANTHROPIC,
    bodies: mutated(anthropicBody),
  },
  {
    kind: 'native under /v1',
    path: (call) => `/v1/models/gemini-2.5-flash:${(call as [string, unknown])[0]}?alt=sse`,
    bodies: fc.tuple(nativeAction, mutated(nativeBody)),
  },
  { kind: 'images', path: () => '/v1/images/generations', bodies: mutated(imageBody) },
  { kind: 'speech', path: () => '/v1/audio/speech', bodies: mutated(speechBody) },
];

function bodyOf(route: Route, sample: unknown): unknown {
  return route.kind === 'native under /v1' ? (sample as [string, unknown])[1] : sample;
}

describe('fuzzing the Responses, Messages, token-count, /v1 native and media routes', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let before: ReturnType<typeof credentialFates>;
  const answers: { kind: string; status: number; sample: string }[] = [];

  beforeAll(async () => {
    fake = await FakeGoogle.start({ record: false });
    fake.addApiKey(KEY_A);
    fake.addApiKey(KEY_B);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: `${KEY_A},${KEY_B}` });
    before = credentialFates(await poolStatus(proxy));

    const jobs = ROUTES.flatMap((route, i) =>
      fc.sample(route.bodies, { numRuns: RUNS_PER_ROUTE, seed: SEED + i }).map((sample) => {
        return async () => {
          const body = bodyOf(route, sample);
          const res = await fetch(`${proxy.url}${route.path(sample)}`, {
            method: 'POST',
            headers: { ...JSON_AUTH, ...route.headers },
            body: JSON.stringify(body),
          });
          await res.arrayBuffer();
          answers.push({
            kind: route.kind,
            status: res.status,
            sample: JSON.stringify(sample).slice(0, 400),
          });
        };
      }),
    );
    // A few at a time, as clients would send them.
    const workers = Array.from({ length: 8 }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    });
    await Promise.all(workers);
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  it.each(ROUTES.map((r) => r.kind))('answers no %s body with a 5xx', (kind) => {
    const sent = answers.filter((a) => a.kind === kind);
    expect(sent).toHaveLength(RUNS_PER_ROUTE);
    expect(sent.filter((a) => a.status >= 500)).toEqual([]);
  });

  it.each(ROUTES.map((r) => r.kind))('serves some %s bodies and refuses others', (kind) => {
    const sent = answers.filter((a) => a.kind === kind);
    // A fuzzer whose every body is refused (or accepted) explores nothing past the first rule.
    expect(sent.some((a) => a.status === 200)).toBe(true);
    expect(sent.some((a) => a.status >= 400 && a.status < 500)).toBe(true);
  });

  it('leaves every credential as it was', async () => {
    expect(credentialFates(await poolStatus(proxy))).toEqual(before);
  });

  it('stays healthy and serves a normal request in each dialect', async () => {
    expect((await fetch(`${proxy.url}/health`, { headers: AUTH })).status).toBe(200);
    const responses = await fetch(`${proxy.url}/v1/responses`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify({ model: 'gemini-2.5-flash', input: 'hello' }),
    });
    expect(responses.status).toBe(200);
    const messages = await fetch(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { ...JSON_AUTH, ...ANTHROPIC },
      body: JSON.stringify({
        model: 'gemini-2.5-flash',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    expect(messages.status).toBe(200);
  });
});
