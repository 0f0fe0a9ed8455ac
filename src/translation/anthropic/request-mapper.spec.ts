import { ApiError } from '../../errors/api-error';
import { rulesOver } from '../common/request-rules';
import type { GeminiRequest } from '../../upstream/gemini-types';
import { InMemoryThoughtSignatureStore } from '../common/thought-signature-store';
import type { AnthropicMessagesRequest } from './anthropic-types';
import { SKIP_THOUGHT_SIGNATURE, toGeminiRequest } from './request-mapper';
import { toAnthropicSignature } from './thought-signature';

const PNG = 'iVBORw0KGgo=';

function deps(store = new InMemoryThoughtSignatureStore()) {
  return {
    rules: rulesOver((url: string) =>
      url.includes('fail')
        ? Promise.reject(new Error('refused'))
        : Promise.resolve({ mimeType: 'image/jpeg', data: `fetched:${url}` }),
    ),
    signatures: store,
  };
}

const map = async (req: AnthropicMessagesRequest, store?: InMemoryThoughtSignatureStore) =>
  (await toGeminiRequest({ model: 'gemini-2.5-flash', max_tokens: 100, ...req }, deps(store)))
    .request;

const user = (content: unknown) => ({ role: 'user', content });
const assistant = (content: unknown) => ({ role: 'assistant', content });

describe('toGeminiRequest (Anthropic → Gemini)', () => {
  describe('turns and content blocks', () => {
    it.each<[string, unknown[], GeminiRequest['contents']]>([
      ['a string message', [user('hi')], [{ role: 'user', parts: [{ text: 'hi' }] }]],
      [
        'text blocks, empty ones skipped, cache_control ignored',
        [
          user([
            { type: 'text', text: 'a', cache_control: { type: 'ephemeral' } },
            { type: 'text', text: '' },
          ]),
        ],
        [{ role: 'user', parts: [{ text: 'a' }] }],
      ],
      [
        'assistant as model, neighbours of one role merged',
        [user('a'), user('b'), assistant('c')],
        [
          { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
          { role: 'model', parts: [{ text: 'c' }] },
        ],
      ],
      [
        'a base64 image',
        [user([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }])],
        [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: PNG } }] }],
      ],
      [
        'a URL image, fetched',
        [user([{ type: 'image', source: { type: 'url', url: 'https://x.test/a.jpg' } }])],
        [
          {
            role: 'user',
            parts: [
              { inlineData: { mimeType: 'image/jpeg', data: 'fetched:https://x.test/a.jpg' } },
            ],
          },
        ],
      ],
      [
        'a plain-text document, title first',
        [
          user([
            {
              type: 'document',
              title: 'T',
              source: { type: 'text', media_type: 'text/plain', data: 'body' },
            },
          ]),
        ],
        [{ role: 'user', parts: [{ text: 'T' }, { text: 'body' }] }],
      ],
      [
        'a content document',
        [
          user([
            {
              type: 'document',
              source: { type: 'content', content: [{ type: 'text', text: 'x' }] },
            },
          ]),
        ],
        [{ role: 'user', parts: [{ text: 'x' }] }],
      ],
      [
        'a PDF document',
        [
          user([
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' },
            },
          ]),
        ],
        [{ role: 'user', parts: [{ inlineData: { mimeType: 'application/pdf', data: 'JVBE' } }] }],
      ],
      [
        'redacted thinking dropped',
        [
          user('q'),
          assistant([
            { type: 'redacted_thinking', data: 'xx' },
            { type: 'text', text: 'a' },
          ]),
        ],
        [
          { role: 'user', parts: [{ text: 'q' }] },
          { role: 'model', parts: [{ text: 'a' }] },
        ],
      ],
    ])('maps %s', async (_name, messages, contents) => {
      expect((await map({ messages })).contents).toEqual(contents);
    });

    it('puts tool results first in their turn, named after the call, with is_error as error', async () => {
      const req = await map({
        messages: [
          user('go'),
          assistant([
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
            { type: 'tool_use', id: 'toolu_2', name: 'Read', input: { path: 'a' } },
          ]),
          user([
            { type: 'text', text: 'and then?' },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'a b' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              is_error: true,
              content: [
                { type: 'text', text: 'no such file' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
              ],
            },
          ]),
        ],
      });
      expect(req.contents[1].parts).toEqual([
        { functionCall: { name: 'Bash', args: { command: 'ls' } } },
        { functionCall: { name: 'Read', args: { path: 'a' } } },
      ]);
      expect(req.contents[2].parts).toEqual([
        { functionResponse: { name: 'Bash', response: { content: 'a b' } } },
        { functionResponse: { name: 'Read', response: { error: 'no such file' } } },
        { inlineData: { mimeType: 'image/png', data: PNG } },
        { text: 'and then?' },
      ]);
    });

    it('refuses a tool result that answers no call', async () => {
      await expect(
        map({ messages: [user([{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'a' }])] }),
      ).rejects.toThrow(/messages\.0\.content\.0\.tool_use_id/);
    });

    it.each([
      [
        'a file image',
        [user([{ type: 'image', source: { type: 'file', file_id: 'f' } }])],
        /file_id/,
      ],
      ['an unknown block', [user([{ type: 'hologram' }])], /"hologram" is not supported/],
      [
        'an unfetchable URL',
        [user([{ type: 'image', source: { type: 'url', url: 'https://fail.test/' } }])],
        /could not fetch/,
      ],
      ['an unknown role', [{ role: 'robot', content: 'x' }], /role/],
    ])('refuses %s with a 400 naming the field', async (_name, messages, message) => {
      const error = await map({ messages }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).message).toMatch(message);
    });
  });

  describe('system', () => {
    it('joins the system field, mid-conversation system messages and drops the billing block', async () => {
      const req = await map({
        system: [
          { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.328.abc;' },
          { type: 'text', text: 'You are an agent.', cache_control: { type: 'ephemeral' } },
        ],
        messages: [
          user('hi'),
          {
            role: 'system',
            output_config: { effort: 'medium' },
            content: [{ type: 'text', text: '# Environment' }],
          },
          user('more'),
        ],
      });
      expect(req.systemInstruction).toEqual({
        parts: [{ text: 'You are an agent.' }, { text: '# Environment' }],
      });
      expect(req.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }, { text: 'more' }] }]);
    });

    it('sends a system-only prompt as the user turn', async () => {
      const req = await map({ system: 'only this', messages: [] });
      expect(req.contents).toEqual([{ role: 'user', parts: [{ text: 'only this' }] }]);
      expect(req.systemInstruction).toBeUndefined();
    });
  });

  describe('thought signatures', () => {
    const history = (signature: string) => [
      user('q'),
      assistant([
        { type: 'thinking', thinking: '', signature },
        { type: 'tool_use', id: 'toolu_9', name: 'Bash', input: {} },
      ]),
      user([{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'ok' }]),
    ];

    it.each([
      ['gemini-3-pro-preview', toAnthropicSignature('sig-1'), 'sig-1'],
      ['gemini-2.5-flash', toAnthropicSignature('sig-1'), 'sig-1'],
      ['gemini-3-pro-preview', 'AnthropicsOwnSignature', SKIP_THOUGHT_SIGNATURE],
      ['gemini-2.5-flash', 'AnthropicsOwnSignature', undefined],
    ])('on %s, thinking.signature %j → thoughtSignature %j', async (model, signature, expected) => {
      const req = await map({ model, messages: history(signature) });
      expect(req.contents[1].parts[0].thoughtSignature).toBe(expected);
    });

    it('restores a signature the client dropped from the store, by tool_use id', async () => {
      const store = new InMemoryThoughtSignatureStore();
      store.set('toolu_9', 'kept');
      const req = await map(
        {
          model: 'gemini-3-pro-preview',
          messages: [
            user('q'),
            assistant([{ type: 'tool_use', id: 'toolu_9', name: 'Bash', input: {} }]),
            user([{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'ok' }]),
          ],
        },
        store,
      );
      expect(req.contents[1].parts[0].thoughtSignature).toBe('kept');
    });

    it('puts a signature on the text that follows its thinking block', async () => {
      const req = await map({
        messages: [
          user('q'),
          assistant([
            { type: 'thinking', thinking: 'hmm', signature: toAnthropicSignature('t-sig') },
            { type: 'text', text: 'answer' },
          ]),
          user('next'),
        ],
      });
      expect(req.contents[1].parts).toEqual([{ text: 'answer', thoughtSignature: 't-sig' }]);
    });
  });

  describe('tools', () => {
    const tools = [
      {
        name: 'Write',
        description: 'Writes a file',
        input_schema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { file_path: { type: 'string' } },
          required: ['file_path'],
          additionalProperties: false,
        },
      },
      { name: 'WebFetch', input_schema: { type: 'object', properties: {} }, defer_loading: true },
      {
        name: 'DeferredToolPlaceholder',
        input_schema: { type: 'object', properties: {} },
        defer_loading: true,
      },
      { type: 'web_search_20250305', name: 'web_search' },
      { type: 'bash_20250124', name: 'bash' },
    ];

    it('declares client tools with sanitised schemas, deferred ones only once referenced', async () => {
      const names = async (messages: unknown[]) => {
        const req = await map({ tools, messages });
        const decls = (req.tools?.[0].functionDeclarations ?? []) as { name: string }[];
        return { names: decls.map((d) => d.name), tools: req.tools };
      };
      const before = await names([user('hi')]);
      expect(before.names).toEqual(['Write']);
      expect(before.tools?.[1]).toEqual({ googleSearch: {} });
      expect(JSON.stringify(before.tools)).not.toMatch(/\$schema|additionalProperties/);
      const after = await names([
        user('find a fetch tool'),
        assistant([{ type: 'tool_use', id: 'toolu_s', name: 'ToolSearch', input: {} }]),
        user([
          {
            type: 'tool_result',
            tool_use_id: 'toolu_s',
            content: [{ type: 'tool_reference', tool_name: 'WebFetch' }],
          },
          { type: 'text', text: 'Tool loaded.' },
        ]),
      ]);
      expect(after.names).toEqual(['Write', 'WebFetch']);
    });

    it.each([
      [{ type: 'auto' }, { functionCallingConfig: { mode: 'AUTO' } }, false],
      [{ type: 'any' }, { functionCallingConfig: { mode: 'ANY' } }, false],
      [{ type: 'none' }, { functionCallingConfig: { mode: 'NONE' } }, false],
      [
        { type: 'tool', name: 'Write', disable_parallel_tool_use: true },
        { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['Write'] } },
        true,
      ],
    ])('maps tool_choice %j', async (choice, toolConfig, single) => {
      const mapped = await toGeminiRequest(
        {
          model: 'gemini-2.5-flash',
          max_tokens: 10,
          tools,
          tool_choice: choice,
          messages: [user('x')],
        },
        deps(),
      );
      expect(mapped.request.toolConfig).toEqual(toolConfig);
      expect(mapped.singleToolCall).toBe(single);
    });

    it('refuses a tool_choice that forces an undeclared tool', async () => {
      await expect(
        map({ tools, tool_choice: { type: 'tool', name: 'WebFetch' }, messages: [user('x')] }),
      ).rejects.toThrow(/tool_choice\.name/);
    });
  });

  it('keeps Claude Code’s fields without a Gemini equivalent out of the request', async () => {
    const req = await map({
      messages: [user('hi')],
      metadata: { user_id: '{"device_id":"d"}' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      service_tier: 'auto',
      container: null,
    });
    expect(Object.keys(req).sort()).toEqual(['contents', 'generationConfig', 'safetySettings']);
  });

  it('returns the base model without the variant suffix', async () => {
    const mapped = await toGeminiRequest(
      { model: 'gemini-2.5-flash-search', max_tokens: 5, messages: [user('x')] },
      deps(),
    );
    expect(mapped.model).toBe('gemini-2.5-flash');
    expect(mapped.request.tools).toEqual([{ googleSearch: {} }]);
  });
});
