import { ApiError } from '../../errors/api-error';
import { rulesOver } from '../common/request-rules';
import type { GeminiRequest } from '../../upstream/gemini-types';
import type { FetchedMedia } from '../common/content-parts';
import type { ChatMessage, OpenAIChatRequest } from './openai-types';
import { SKIP_THOUGHT_SIGNATURE, toGeminiRequest } from './request-mapper';
import { InMemoryThoughtSignatureStore } from '../common/thought-signature-store';

const noFetch = (url: string): Promise<FetchedMedia> =>
  Promise.reject(new Error(`unexpected fetch ${url}`));

function deps(signatures = new InMemoryThoughtSignatureStore()) {
  return { rules: rulesOver(noFetch), signatures };
}

async function map(
  messages: unknown[],
  extra: Partial<OpenAIChatRequest> = {},
  store?: InMemoryThoughtSignatureStore,
) {
  const req = { model: 'gemini-2.5-flash', messages: messages as ChatMessage[], ...extra };
  return (await toGeminiRequest(req, deps(store))).request;
}

async function errorOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

// An openai-SDK weather round trip: the model called two tools in parallel, the client answered both.
const PARALLEL_TOOL_ROUND_TRIP = [
  { role: 'system', content: 'You are a travel assistant.' },
  { role: 'user', content: 'Weather in Paris and Tokyo?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      {
        id: 'call_paris',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
      {
        id: 'call_tokyo',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      },
    ],
  },
  { role: 'tool', tool_call_id: 'call_paris', content: '{"temp_c":18,"sky":"cloudy"}' },
  { role: 'tool', tool_call_id: 'call_tokyo', content: 'Sunny, 24°C' },
];

describe('toGeminiRequest messages', () => {
  it('gathers system and developer messages, in order, into systemInstruction', async () => {
    const request = await map([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
    ]);
    expect(request.systemInstruction).toEqual({
      parts: [{ text: 'You are terse.' }, { text: 'Answer in French.' }],
    });
  });

  it('keeps system messages out of contents', async () => {
    const request = await map([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(request.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
  });

  it('sends a system-only prompt as a user turn, since Gemini requires contents', async () => {
    const request = await map([{ role: 'system', content: 'Say OK.' }]);
    expect([request.contents, request.systemInstruction]).toEqual([
      [{ role: 'user', parts: [{ text: 'Say OK.' }] }],
      undefined,
    ]);
  });

  it('maps assistant to model', async () => {
    const request = await map([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!', name: 'bot' },
      { role: 'user', content: 'How are you?', name: 'alice' },
    ]);
    expect(request.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
  });

  it('merges neighbouring messages of one role into one turn', async () => {
    const request = await map([
      { role: 'user', content: 'First.' },
      { role: 'user', content: 'Second.' },
    ]);
    expect(request.contents).toEqual([
      { role: 'user', parts: [{ text: 'First.' }, { text: 'Second.' }] },
    ]);
  });

  it('leaves no turn for an assistant message with empty content', async () => {
    const request = await map([
      { role: 'user', content: 'A' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'B' },
    ]);
    expect(request.contents).toEqual([{ role: 'user', parts: [{ text: 'A' }, { text: 'B' }] }]);
  });

  it('turns tool_calls into functionCall parts with parsed arguments', async () => {
    const request = await map(PARALLEL_TOOL_ROUND_TRIP);
    expect(request.contents[1]).toEqual({
      role: 'model',
      parts: [
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
        { functionCall: { name: 'get_weather', args: { city: 'Tokyo' } } },
      ],
    });
  });

  it('puts text before the calls of one assistant message', async () => {
    const request = await map([
      { role: 'user', content: 'Paris?' },
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      },
    ]);
    expect(request.contents[1].parts).toEqual([
      { text: 'Let me check.' },
      { functionCall: { name: 'get_weather', args: {} } },
    ]);
  });

  it('merges consecutive tool results into one user turn of functionResponse parts named after their calls', async () => {
    const request = await map(PARALLEL_TOOL_ROUND_TRIP);
    expect(request.contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_weather', response: { temp_c: 18, sky: 'cloudy' } } },
        { functionResponse: { name: 'get_weather', response: { content: 'Sunny, 24°C' } } },
      ],
    });
  });

  it.each([
    ['a JSON array', '[1,2]', { content: '[1,2]' }],
    ['a JSON number', '42', { content: '42' }],
    ['text parts', [{ type: 'text', text: 'ok' }], { content: 'ok' }],
    ['null', null, { content: '' }],
  ])('keeps a tool result that is %s under content', async (_, content, response) => {
    const request = await map([
      {
        role: 'assistant',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content },
    ]);
    expect(request.contents[1].parts[0].functionResponse?.response).toEqual(response);
  });

  it('falls back to the name a client sends on a tool message whose call it cannot find', async () => {
    const request = await map([
      { role: 'user', content: 'go' },
      { role: 'tool', tool_call_id: 'lost', name: 'search', content: 'x' },
    ]);
    expect(request.contents[0].parts[1].functionResponse?.name).toBe('search');
  });

  it('rejects a tool result that matches no earlier call', async () => {
    const err = await errorOf(
      map([
        { role: 'user', content: 'go' },
        { role: 'tool', tool_call_id: 'call_x', content: 'x' },
      ]),
    );
    expect([err.status, err.param]).toEqual([400, 'messages[1].tool_call_id']);
  });

  it('rejects tool-call arguments that are not JSON, naming the field', async () => {
    const err = await errorOf(
      map([
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'f', arguments: '{"city": Paris}' } },
          ],
        },
      ]),
    );
    expect([err.status, err.param]).toEqual([400, 'messages[1].tool_calls[1].function.arguments']);
  });

  it('rejects tool-call arguments nested deeper than the proxy can send, naming the field', async () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const err = await errorOf(
      map([
        { role: 'user', content: 'go' },
        { role: 'assistant', tool_calls: [{ id: 'a', function: { name: 'f', arguments: deep } }] },
      ]),
    );
    expect([err.status, err.message]).toEqual([
      400,
      'messages[1].tool_calls[0].function.arguments nests deeper than 256 levels.',
    ]);
  });

  it('keeps a tool result nested deeper than the proxy can send as text', async () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const request = await map([
      { role: 'user', content: 'go' },
      { role: 'assistant', tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'a', content: deep },
    ]);
    expect(request.contents[2].parts[0]).toEqual({
      functionResponse: { name: 'f', response: { content: deep } },
    });
    expect(() => JSON.stringify(request)).not.toThrow();
  });

  it('rejects tool-call arguments that are JSON but not an object', async () => {
    const err = await errorOf(
      map([
        {
          role: 'assistant',
          tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '[1]' } }],
        },
      ]),
    );
    expect(err.message).toBe('messages[0].tool_calls[0].function.arguments must be a JSON object.');
  });

  it.each(['function', 'bot', undefined])(
    'rejects the role %p naming the message',
    async (role) => {
      const err = await errorOf(
        map([
          { role: 'user', content: 'a' },
          { role, content: 'b' },
        ]),
      );
      expect([err.status, err.param]).toEqual([400, 'messages[1].role']);
    },
  );

  it.each([
    ['no messages', { messages: [] }, 'messages'],
    ['no model', { model: '' }, 'model'],
    ['only a suffix as model', { model: '-search' }, 'model'],
  ])('rejects a request with %s', async (_, patch, param) => {
    const req = {
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'hi' }],
      ...patch,
    } as OpenAIChatRequest;
    const err = await errorOf(toGeminiRequest(req, deps()));
    expect(err.param).toBe(param);
  });

  it('rejects messages that map to no content at all', async () => {
    const err = await errorOf(map([{ role: 'user', content: '' }]));
    expect(err.param).toBe('messages');
  });
});

describe('toGeminiRequest thought signatures', () => {
  const replay = (model: string, store: InMemoryThoughtSignatureStore) =>
    toGeminiRequest({ model, messages: PARALLEL_TOOL_ROUND_TRIP as ChatMessage[] }, deps(store));

  it('puts the stored signature back on the function call it came with', async () => {
    const store = new InMemoryThoughtSignatureStore();
    store.set('call_paris', 'EtQBCtEBAdHtim9');
    const { request } = await replay('gemini-3-pro-preview', store);
    expect(request.contents[1].parts.map((p) => p.thoughtSignature)).toEqual([
      'EtQBCtEBAdHtim9',
      undefined,
    ]);
  });

  it('puts the skip placeholder on the first call only when the signature is unknown on Gemini 3', async () => {
    const { request } = await replay('gemini-3-flash-preview', new InMemoryThoughtSignatureStore());
    expect(request.contents[1].parts.map((p) => p.thoughtSignature)).toEqual([
      SKIP_THOUGHT_SIGNATURE,
      undefined,
    ]);
  });

  it('adds no placeholder for Gemini 2.5, which does not validate signatures', async () => {
    const { request } = await replay('gemini-2.5-pro', new InMemoryThoughtSignatureStore());
    expect(request.contents[1].parts.every((p) => p.thoughtSignature === undefined)).toBe(true);
  });

  it('uses a signature the client echoed in extra_content.google', async () => {
    const request = await map(
      [
        {
          role: 'assistant',
          tool_calls: [
            {
              id: 'c1',
              type: 'function',
              function: { name: 'f', arguments: '{}' },
              extra_content: { google: { thought_signature: 'CiIBjz1rX' } },
            },
          ],
        },
      ],
      { model: 'gemini-3-pro-preview' },
    );
    expect(request.contents[0].parts[0].thoughtSignature).toBe('CiIBjz1rX');
  });
});

describe('toGeminiRequest request-level fields', () => {
  const base = [{ role: 'user', content: 'Hi' }];

  it('sends the base model name upstream', async () => {
    const mapped = await toGeminiRequest(
      { model: 'models/gemini-2.5-pro-search-nothinking', messages: base as ChatMessage[] },
      deps(),
    );
    expect(mapped.model).toBe('gemini-2.5-pro');
  });

  it('adds the Google Search tool for a -search model', async () => {
    const request = await map(base, { model: 'gemini-2.5-flash-search' });
    expect(request.tools).toEqual([{ googleSearch: {} }]);
  });

  it('sets the thinking budget from a -nothinking model', async () => {
    const request = await map(base, { model: 'gemini-2.5-flash-nothinking' });
    expect(request.generationConfig?.thinkingConfig).toEqual({ thinkingBudget: 0 });
  });

  it('sends the seed’s five safety categories at BLOCK_NONE by default', async () => {
    const request = await map(base);
    expect(request.safetySettings).toEqual([
      { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' },
      { category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' },
      { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', threshold: 'BLOCK_NONE' },
      { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_NONE' },
      { category: 'HARM_CATEGORY_CIVIC_INTEGRITY', threshold: 'BLOCK_NONE' },
    ]);
  });

  it('uses safety settings from extra_body.google instead of the defaults', async () => {
    const settings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
    const request = await map(base, { google: { safety_settings: settings } });
    expect(request.safetySettings).toEqual(settings);
  });

  it('passes cached_content from extra_body.google as cachedContent', async () => {
    const request = await map(base, { google: { cached_content: 'cachedContents/abc123' } });
    expect(request.cachedContent).toBe('cachedContents/abc123');
  });

  it('lets google.thinking_config replace the derived thinking config', async () => {
    const request: GeminiRequest = await map(base, {
      reasoning_effort: 'high',
      google: { thinking_config: { thinking_budget: 2048, include_thoughts: false } },
    });
    expect(request.generationConfig?.thinkingConfig).toEqual({
      thinkingBudget: 2048,
      includeThoughts: false,
    });
  });

  it('omits generationConfig when nothing sets it', async () => {
    const request = await map(base, { model: 'gemini-2.0-flash' });
    expect(request.generationConfig).toBeUndefined();
  });
});
