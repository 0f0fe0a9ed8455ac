import { RequestContext } from '../src/request/request-context';
import fc from 'fast-check';
import { GeminiService } from '../src/gemini/gemini.service';
import { parseModelAliases } from '../src/config/model-aliases-value';
import { ModelAliasesService } from '../src/models/model-aliases.service';
import { ApiError } from '../src/errors/api-error';
import { findChatRequestProblem } from '../src/openai/dto/chat-request-rules';
import { OpenAIBodyPipe } from '../src/openai/openai-body.pipe';
import type { OpenAIChatRequest } from '../src/translation/openai/openai-types';
import { modelNameProblem } from '../src/models/model-names';
import { OpenAITranslationService } from '../src/translation/openai/openai-translation.service';
import type { UpstreamDispatcher } from '../src/upstream/dispatcher';
import type { ModelListService } from '../src/models/model-list.service';
import { FakeGoogle } from './fake-google/fake-google';
import {
  AUTH,
  chat,
  credentialFates,
  generate,
  JSON_AUTH,
  poolStatus,
} from './support/pool-harness';
import { RunningProxy, startTestProxy } from './support/proxy';
import { mutated, oddString, toolSchema } from './support/fuzz-arbitraries';

/*
 * Thousands of generated and mutated bodies for the OpenAI chat route and the native
 * generateContent route. Most go straight through the validation pipe and the translation (the
 * fast path, where nearly all of the input handling lives); a few hundred of each go over HTTP to
 * the running proxy and the fake Google, which answers normally, so that any 5xx or any change to
 * a credential is the proxy's own doing. Fixed seeds keep `npm test` deterministic; FUZZ_SEED
 * explores others.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const FAST_RUNS = 1_500;
const HTTP_RUNS = 200;

const KEY_A = 'AIzaFuzzKeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const KEY_B = 'AIzaFuzzKeyBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

// ---------------------------------------------------------------- generators

const SERVED_MODELS = [
  'gemini-2.5-flash',
  'gemini-2.5-pro-nothinking',
  'gemini-3-pro-preview-search',
  'models/gemini-2.5-flash',
];

const modelName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SERVED_MODELS) },
  { weight: 2, arbitrary: oddString },
);

const textPart = fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 30 }) });
const imagePart = fc.record({
  type: fc.constant('image_url'),
  image_url: fc.record({
    url: fc.oneof(
      { weight: 4, arbitrary: fc.constant('data:image/png;base64,iVBORw0KGgo=') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'data:image/png;base64,not base64!',
          // Private addresses are refused before any connection, so no test reaches the network.
          'http://127.0.0.1:1/a.png',
          'http://10.0.0.1/a.png',
          'ftp://example.com/a.png',
        ),
      },
    ),
  }),
});
const toolCall = fc.record({
  id: fc.constantFrom('call_1', 'call_2'),
  type: fc.constant('function'),
  function: fc.record({
    name: fc.constantFrom('lookup', 'other'),
    arguments: fc
      .dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))
      .map((args) => JSON.stringify(args)),
  }),
});
const message = fc.oneof(
  fc.record({
    role: fc.constant('user'),
    content: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(fc.oneof(textPart, imagePart), { maxLength: 3 }),
    ),
  }),
  fc.record({
    role: fc.constantFrom('system', 'developer'),
    content: fc.string({ maxLength: 20 }),
  }),
  fc.record(
    {
      role: fc.constant('assistant'),
      content: fc.option(fc.string({ maxLength: 20 })),
      tool_calls: fc.array(toolCall, { maxLength: 2 }),
    },
    { requiredKeys: ['role'] },
  ),
  fc.record({
    role: fc.constant('tool'),
    tool_call_id: fc.constantFrom('call_1', 'call_2'),
    name: fc.constant('lookup'),
    content: fc.string({ maxLength: 20 }),
  }),
);

const chatBody = fc.record(
  {
    model: modelName,
    messages: fc.array(message, { minLength: 1, maxLength: 4 }),
    tools: fc.array(
      fc.record({
        type: fc.constant('function'),
        function: fc.record(
          {
            name: fc.constantFrom('lookup', 'other'),
            description: fc.string({ maxLength: 20 }),
            parameters: toolSchema,
          },
          { requiredKeys: ['name'] },
        ),
      }),
      { maxLength: 2 },
    ),
    tool_choice: fc.constantFrom('auto', 'none'),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    max_tokens: fc.integer({ min: 1, max: 100_000 }),
    n: fc.integer({ min: 1, max: 2 }),
    stop: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 4 })),
    reasoning_effort: fc.constantFrom('none', 'low', 'high'),
    response_format: fc.oneof(
      fc.record({ type: fc.constantFrom('text', 'json_object') }),
      fc.record({
        type: fc.constant('json_schema'),
        json_schema: fc.record({ name: fc.string(), schema: toolSchema }),
      }),
    ),
    stream: fc.boolean(),
    extra_body: fc.record({ google: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })) }),
  },
  { requiredKeys: ['model', 'messages'] },
);

const nativePart = fc.oneof(
  fc.record({ text: fc.string({ maxLength: 40 }) }),
  fc.record({ inlineData: fc.record({ mimeType: fc.string(), data: fc.string() }) }),
  fc.record({
    functionCall: fc.record({ name: fc.string(), args: fc.jsonValue({ maxDepth: 2 }) }),
  }),
  fc.record({ thought: fc.boolean(), thoughtSignature: fc.string() }),
);
const nativeBody = fc.record(
  {
    contents: fc.array(
      fc.record({ role: fc.constantFrom('user', 'model'), parts: fc.array(nativePart) }),
      { minLength: 1, maxLength: 3 },
    ),
    systemInstruction: fc.record({ parts: fc.array(fc.record({ text: fc.string() })) }),
    generationConfig: fc.record({
      temperature: fc.double(),
      maxOutputTokens: fc.integer(),
      thinkingConfig: fc.record({ thinkingBudget: fc.integer(), includeThoughts: fc.boolean() }),
    }),
    tools: fc.array(
      fc.record({
        functionDeclarations: fc.array(fc.record({ name: fc.string(), parameters: toolSchema }), {
          maxLength: 2,
        }),
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['contents'] },
);

const nativeCall = fc.record({
  model: modelName,
  /** Sent as typed in the path (`%25E0`, `%E0`, a slash) rather than percent-encoded. */
  raw: fc.boolean(),
  action: fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom('generateContent', 'streamGenerateContent', 'countTokens'),
    },
    { weight: 1, arbitrary: fc.constantFrom('nonsense', '') },
  ),
});

const chatBodies = mutated(chatBody);
const nativeRequests = fc.tuple(nativeCall, mutated(nativeBody));

// ---------------------------------------------------------------- checks

/** A client error the proxy meant to give, or a thrown error that would have been a 5xx. */
function asClientError(err: unknown): number {
  if (err instanceof ApiError && err.status < 500) return err.status;
  throw err;
}

/**
 * A well-formed name of a model nobody serves reaches Google, whose 404 makes the dispatcher mark
 * that credential unavailable for that model (error-classifier: 404 → model-unavailable), which is
 * a credential state change caused by client input. That rule belongs to the pool; until it
 * changes, bodies sent over HTTP use served models or names the proxy refuses itself.
 */
function servedOrRefused(model: unknown): unknown {
  if (typeof model !== 'string' || SERVED_MODELS.includes(model)) return model;
  return modelNameProblem(model) ? model : SERVED_MODELS[0];
}

function withServedModel(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('model' in body)) return body;
  return { ...body, model: servedOrRefused(body.model) };
}

/** Survives JSON.stringify the way the dispatcher will serialise it (no cycles, no BigInt). */
function serialises(value: unknown): void {
  JSON.stringify(value);
}

function pathSegment(call: { model: string; raw: boolean }): string {
  return call.raw
    ? call.model
    : encodeURIComponent((call.model as string & { toWellFormed(): string }).toWellFormed());
}

/** A GeminiService over `dispatcher`, from named parts. These paths never read the model list. */
function makeGeminiService({
  dispatcher,
  aliases = '{}',
  heartbeatMs = 60_000,
}: {
  dispatcher: RecordingDispatcher;
  aliases?: string;
  heartbeatMs?: number;
}): GeminiService {
  return new GeminiService(
    dispatcher as unknown as UpstreamDispatcher,
    {} as ModelListService,
    new ModelAliasesService({ aliases: parseModelAliases(aliases) }),
    { heartbeatMs } as never,
  );
}

class RecordingDispatcher {
  readonly seen: unknown[] = [];
  generate = (req: { body: unknown }) => this.record(req.body, { candidates: [] });
  generateBytes = (req: { body: unknown }) => this.record(req.body, Buffer.from('{}'));
  stream = (req: { body: unknown }) =>
    this.record(req.body, (async function* () {})() as AsyncIterable<unknown>);
  countTokens = (req: { body: unknown }) => this.record(req.body, { totalTokens: 1 });
  embed = (_action: string, req: { body: unknown }) => this.record(req.body, {});

  private record<T>(body: unknown, answer: T): Promise<T> {
    serialises(body);
    this.seen.push(body);
    return Promise.resolve(answer);
  }
}

describe('fuzzing request bodies', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start({ record: false });
    fake.addApiKey(KEY_A);
    fake.addApiKey(KEY_B);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: `${KEY_A},${KEY_B}` });
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  describe('through the validation pipe and the translation', () => {
    const pipe = new OpenAIBodyPipe(findChatRequestProblem);

    it('turns every chat body into a Gemini request or a 4xx', async () => {
      const translation = proxy.app.get(OpenAITranslationService);
      await fc.assert(
        fc.asyncProperty(chatBodies, async (body) => {
          try {
            const valid = pipe.transform(body) as OpenAIChatRequest;
            serialises(await translation.toGeminiRequest(valid, new RequestContext()));
          } catch (err) {
            asClientError(err);
          }
        }),
        { numRuns: FAST_RUNS, seed: SEED },
      );
    });

    it('passes every native body on or answers a 4xx', async () => {
      const dispatcher = new RecordingDispatcher();
      const gemini = makeGeminiService({ dispatcher });
      await fc.assert(
        fc.asyncProperty(nativeRequests, async ([call, body]) => {
          try {
            await gemini.call(`${call.model}:${call.action}`, body, 'sse', new RequestContext());
          } catch (err) {
            asClientError(err);
          }
        }),
        { numRuns: FAST_RUNS, seed: SEED },
      );
    });
  });

  describe('over HTTP, against the fake Google', () => {
    let before: ReturnType<typeof credentialFates>;
    const statuses: { kind: string; status: number; sample: string }[] = [];

    async function send(kind: string, res: Promise<Response>, sample: unknown): Promise<void> {
      const answer = await res;
      await answer.arrayBuffer();
      statuses.push({
        kind,
        status: answer.status,
        sample: JSON.stringify(sample).slice(0, 300),
      });
    }

    beforeAll(async () => {
      before = credentialFates(await poolStatus(proxy));
      const chats = fc
        .sample(chatBodies, { numRuns: HTTP_RUNS, seed: SEED + 1 })
        .map(withServedModel);
      const natives = fc
        .sample(nativeRequests, { numRuns: HTTP_RUNS, seed: SEED + 2 })
        .map(
          ([call, body]) =>
            [{ ...call, model: servedOrRefused(call.model) as string }, body] as const,
        );
      const jobs: (() => Promise<void>)[] = [
        ...chats.map(
          (body) => () =>
            send(
              'chat',
              fetch(`${proxy.url}/v1/chat/completions`, {
                method: 'POST',
                headers: JSON_AUTH,
                body: JSON.stringify(body),
              }),
              body,
            ),
        ),
        ...natives.map(
          ([call, body]) =>
            () =>
              send(
                'native',
                fetch(`${proxy.url}/v1beta/models/${pathSegment(call)}:${call.action}?alt=sse`, {
                  method: 'POST',
                  headers: JSON_AUTH,
                  body: JSON.stringify(body),
                }),
                [call, body],
              ),
        ),
      ];
      // A few at a time, as clients would send them.
      const workers = Array.from({ length: 8 }, async () => {
        for (let job = jobs.shift(); job; job = jobs.shift()) await job();
      });
      await Promise.all(workers);
    }, 60_000);

    it.each(['chat', 'native'])('answers no %s body with a 5xx', (kind) => {
      const sent = statuses.filter((s) => s.kind === kind);
      expect(sent).toHaveLength(HTTP_RUNS);
      expect(sent.filter((s) => s.status >= 500)).toEqual([]);
    });

    it('leaves every credential as it was', async () => {
      expect(credentialFates(await poolStatus(proxy))).toEqual(before);
    });

    it('stays healthy and serves a normal request in each dialect', async () => {
      expect((await fetch(`${proxy.url}/health`, { headers: AUTH })).status).toBe(200);
      expect((await chat(proxy, {})).status).toBe(200);
      expect((await generate(proxy)).status).toBe(200);
    });
  });
});
