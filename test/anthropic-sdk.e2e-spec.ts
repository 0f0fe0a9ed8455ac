import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGoogle, type GeminiResponse } from './fake-google/fake-google';
import { badRequest, rateLimited, serverError } from './fake-google/google-errors';
import { THOUGHT_TEXT } from './fake-google/model-replies';
import { Body, modelCallsTo } from './support/model-calls';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const KEY = 'AIzaFakeKeyAAAAAAAAAAAAAAAAAAAAAAAAaaaaa';
const KEY_SOLO = 'AIzaFakeKeySSSSSSSSSSSSSSSSSSSSSSSSsssss';
/** A 1×1 transparent PNG. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const ALIASES = { 'claude-sonnet-4-5': 'gemini-2.5-pro', 'claude-*': 'gemini-2.5-flash' };

const bashTool: Tool = {
  name: 'Bash',
  description: 'Runs a shell command',
  input_schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { command: { type: 'string', description: 'The command' } },
    required: ['command'],
    additionalProperties: false,
  },
};

function callAnswer(
  name: string,
  args: Record<string, unknown>,
  extra: { thought?: string; thoughtSignature?: string } = {},
): { stream: GeminiResponse[] } {
  const first: GeminiResponse[] = extra.thought
    ? [
        {
          candidates: [
            {
              content: { role: 'model', parts: [{ text: extra.thought, thought: true }] },
              index: 0,
            },
          ],
        },
      ]
    : [];
  return {
    stream: [
      ...first,
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: { name, args },
                  ...(extra.thoughtSignature ? { thoughtSignature: extra.thoughtSignature } : {}),
                },
              ],
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 6, totalTokenCount: 26 },
      },
    ],
  };
}

describe('Anthropic Messages API through @anthropic-ai/sdk', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let client: Anthropic;

  const modelCalls = () => modelCallsTo(fake);
  const lastModelCall = () => modelCalls()[modelCalls().length - 1];

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    fake.addApiKey(KEY_SOLO);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      MODEL_ALIASES: JSON.stringify(ALIASES),
      MEDIA_FETCH_ALLOW_PRIVATE: 'true',
    });
    client = new Anthropic({ baseURL: proxy.url, apiKey: TEST_PASSWORD, maxRetries: 0 });
  });

  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  beforeEach(() => fake.reset());

  describe('messages.create', () => {
    it('answers with a message and a request-id header', async () => {
      const { data, response } = await client.messages
        .create({
          model: 'gemini-2.5-flash',
          max_tokens: 256,
          messages: [{ role: 'user', content: 'hi there' }],
        })
        .withResponse();
      expect(data.id).toMatch(/^msg_/);
      expect(data.type).toBe('message');
      expect(data.role).toBe('assistant');
      expect(data.model).toBe('gemini-2.5-flash');
      expect(data.content).toEqual([
        { type: 'text', text: 'Hello from gemini-2.5-flash: hi there' },
      ]);
      expect(data.stop_reason).toBe('end_turn');
      expect(data.usage.input_tokens).toBeGreaterThan(0);
      expect(data.usage.output_tokens).toBeGreaterThan(0);
      expect(response.status).toBe(200);
      expect(response.headers.get('request-id')).toMatch(/^req_/);
    });

    it('maps system, sampling and stop options onto Google’s request', async () => {
      await client.messages
        .stream({
          model: 'gemini-2.5-flash',
          max_tokens: 500_000,
          system: [
            { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.328.abc;' },
            { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
          ],
          temperature: 0.2,
          top_p: 0.9,
          top_k: 40,
          stop_sequences: ['END'],
          metadata: { user_id: 'u1' },
          messages: [{ role: 'user', content: 'hi' }],
        })
        .finalMessage();
      const body = lastModelCall().body;
      expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
      expect(body.generationConfig).toMatchObject({
        maxOutputTokens: 65536,
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
      });
    });

    it('sends an aliased model to Google under the Gemini name and answers with the asked one', async () => {
      const message = await client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'alias' }],
      });
      expect(lastModelCall().model).toBe('gemini-2.5-flash');
      expect(message.model).toBe('claude-haiku-4-5');
      expect(message.content[0]).toEqual({
        type: 'text',
        text: 'Hello from gemini-2.5-flash: alias',
      });
    });

    it('returns thoughts as a thinking block when thinking is enabled', async () => {
      const message = await client.messages.create({
        model: 'gemini-2.5-flash',
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [{ role: 'user', content: 'think' }],
      });
      expect(lastModelCall().body.generationConfig.thinkingConfig).toEqual({
        thinkingBudget: 2048,
        includeThoughts: true,
      });
      expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: THOUGHT_TEXT });
      expect(message.content[1]).toMatchObject({ type: 'text' });
    });
  });

  describe('streaming', () => {
    it('streams text that finalMessage assembles', async () => {
      const stream = client.messages.stream({
        model: 'gemini-2.5-flash',
        max_tokens: 256,
        messages: [{ role: 'user', content: 'stream me' }],
      });
      const deltas: string[] = [];
      stream.on('text', (t) => deltas.push(t));
      const message = await stream.finalMessage();
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe('Hello from gemini-2.5-flash: stream me');
      expect(message.content).toEqual([
        { type: 'text', text: 'Hello from gemini-2.5-flash: stream me' },
      ]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage.output_tokens).toBeGreaterThan(0);
    });

    it('names every event, pings after message_start, and ends with message_stop', async () => {
      const res = await fetch(`${proxy.url}/v1/messages?beta=true`, {
        method: 'POST',
        headers: {
          'x-api-key': TEST_PASSWORD,
          'anthropic-version': '2023-06-01',
          'anthropic-beta': 'claude-code-20250219,some-future-beta-2099-01-01',
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({
          model: 'gemini-2.5-flash',
          max_tokens: 100,
          stream: true,
          messages: [{ role: 'user', content: 'events' }],
        }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const frames = (await res.text()).trim().split('\n\n');
      const names = frames.map((f) => /^event: (.+)$/m.exec(f)?.[1]);
      for (const frame of frames) {
        const data = JSON.parse(/^data: (.+)$/m.exec(frame)![1]) as { type: string };
        expect(data.type).toBe(/^event: (.+)$/m.exec(frame)?.[1]);
      }
      expect(names[0]).toBe('message_start');
      expect(names[1]).toBe('ping');
      expect(names[2]).toBe('content_block_start');
      expect(names.slice(-4)).toEqual([
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
    });

    it('ends a stream that Google cuts with an error event the SDK throws', async () => {
      // Its own model: the cut cools the key for that model for a moment.
      fake.failNext({ kind: 'cutMidStream', afterEvents: 1 });
      const stream = client.messages.stream({
        model: 'gemini-2.5-flash-lite',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'cut me short' }],
      });
      await expect(stream.finalMessage()).rejects.toThrow();
    });
  });

  describe('what Claude Code sends', () => {
    it('accepts its request shape: betas, system messages, deferred tools, adaptive thinking', async () => {
      const res = await fetch(`${proxy.url}/v1/messages?beta=true`, {
        method: 'POST',
        headers: {
          'x-api-key': TEST_PASSWORD,
          'anthropic-version': '2023-06-01',
          'anthropic-beta':
            'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,advanced-tool-use-2025-11-20,effort-2025-11-24',
          'anthropic-dangerous-direct-browser-access': 'true',
          'x-app': 'cli',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 32000,
          stream: true,
          metadata: { user_id: '{"device_id":"d","account_uuid":"","session_id":"s"}' },
          thinking: { type: 'adaptive', display: 'omitted' },
          context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
          output_config: { effort: 'high' },
          system: [
            {
              type: 'text',
              text: 'x-anthropic-billing-header: cc_version=2.1.328.abc; cc_entrypoint=sdk-cli;',
            },
            { type: 'text', text: 'You are a Claude agent.', cache_control: { type: 'ephemeral' } },
          ],
          tools: [
            bashTool,
            {
              name: 'DeferredToolPlaceholder',
              description: 'never call this tool.',
              input_schema: { type: 'object', properties: {} },
              defer_loading: true,
            },
          ],
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: '<system-reminder>attribution</system-reminder>' },
                { type: 'text', text: 'say hi' },
              ],
            },
            {
              role: 'system',
              output_config: { effort: 'medium' },
              content: [
                { type: 'text', text: '# Environment', cache_control: { type: 'ephemeral' } },
              ],
            },
          ],
        }),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('event: message_stop');
      const body = lastModelCall().body;
      expect(lastModelCall().model).toBe('gemini-2.5-pro');
      expect(body.systemInstruction.parts).toEqual([
        { text: 'You are a Claude agent.' },
        { text: '# Environment' },
      ]);
      expect(body.tools).toEqual([
        { functionDeclarations: [expect.objectContaining({ name: 'Bash' })] },
      ]);
      expect(body.generationConfig).toMatchObject({
        maxOutputTokens: 32000,
        thinkingConfig: { thinkingBudget: 24576, includeThoughts: false },
      });
    });
  });

  describe('tools', () => {
    it('runs a tool round trip: tool_use out, tool_result back as Google’s functionResponse', async () => {
      fake.enqueue(callAnswer('Bash', { command: 'ls' }));
      const messages: MessageParam[] = [{ role: 'user', content: 'list files' }];
      const first = await client.messages.create({
        model: 'gemini-2.5-flash',
        max_tokens: 1024,
        tools: [bashTool],
        tool_choice: { type: 'auto' },
        messages,
      });
      expect(first.stop_reason).toBe('tool_use');
      const toolUse = first.content.find((b) => b.type === 'tool_use');
      expect(toolUse).toMatchObject({ name: 'Bash', input: { command: 'ls' } });
      expect(toolUse?.type === 'tool_use' && toolUse.id).toMatch(/^toolu_[A-Za-z0-9_-]+$/);
      const declarations = lastModelCall().body.tools[0].functionDeclarations;
      expect(declarations[0].name).toBe('Bash');
      expect(JSON.stringify(declarations)).not.toMatch(/\$schema|additionalProperties/);
      expect(lastModelCall().body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });

      messages.push({ role: 'assistant', content: first.content });
      messages.push({
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: toolUse!.type === 'tool_use' ? toolUse!.id : '',
            content: 'a.txt b.txt',
          },
        ],
      });
      const second = await client.messages.create({
        model: 'gemini-2.5-flash',
        max_tokens: 1024,
        tools: [bashTool],
        messages,
      });
      const contents = lastModelCall().body.contents as Body[];
      expect(contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
      expect(contents[1].parts).toEqual([
        { functionCall: { name: 'Bash', args: { command: 'ls' } } },
      ]);
      expect(contents[2].parts).toEqual([
        { functionResponse: { name: 'Bash', response: { content: 'a.txt b.txt' } } },
      ]);
      expect(second.stop_reason).toBe('end_turn');
    });

    it('streams a tool call as input_json_delta and stop_reason tool_use', async () => {
      fake.enqueue(callAnswer('Bash', { command: 'pwd' }));
      const stream = client.messages.stream({
        model: 'gemini-2.5-flash',
        max_tokens: 1024,
        tools: [bashTool],
        messages: [{ role: 'user', content: 'where am I' }],
      });
      const json: string[] = [];
      stream.on('inputJson', (partial) => json.push(partial));
      const message = await stream.finalMessage();
      expect(json.join('')).toBe('{"command":"pwd"}');
      expect(message.stop_reason).toBe('tool_use');
      expect(message.content).toEqual([
        expect.objectContaining({ type: 'tool_use', name: 'Bash', input: { command: 'pwd' } }),
      ]);
    });

    it('forces a named tool with tool_choice and refuses an unknown one', async () => {
      await client.messages.create({
        model: 'gemini-2.5-flash',
        max_tokens: 100,
        tools: [bashTool],
        tool_choice: { type: 'tool', name: 'Bash' },
        messages: [{ role: 'user', content: 'go' }],
      });
      expect(lastModelCall().body.toolConfig).toEqual({
        functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['Bash'] },
      });
      await expect(
        client.messages.create({
          model: 'gemini-2.5-flash',
          max_tokens: 100,
          tools: [bashTool],
          tool_choice: { type: 'tool', name: 'Nope' },
          messages: [{ role: 'user', content: 'go' }],
        }),
      ).rejects.toBeInstanceOf(BadRequestError);
    });
  });

  describe('thinking with Gemini 3', () => {
    it('carries the thought signature in the thinking block and restores it on the next turn', async () => {
      fake.enqueue(
        callAnswer(
          'Bash',
          { command: 'date' },
          { thought: 'Need the date.', thoughtSignature: 'c2lnLWFiYw==' },
        ),
      );
      const messages: MessageParam[] = [{ role: 'user', content: 'what day is it' }];
      const first = await client.messages
        .stream({
          model: 'gemini-3-pro-preview',
          max_tokens: 8000,
          thinking: { type: 'enabled', budget_tokens: 4000 },
          tools: [bashTool],
          messages,
        })
        .finalMessage();
      expect(lastModelCall().body.generationConfig.thinkingConfig).toEqual({
        thinkingLevel: 'high',
        includeThoughts: true,
      });
      expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
      const thinking = first.content[0];
      expect(thinking.type === 'thinking' && thinking.thinking).toBe('Need the date.');
      expect(thinking.type === 'thinking' && thinking.signature).toContain('c2lnLWFiYw==');

      const toolUse = first.content[1];
      messages.push({ role: 'assistant', content: first.content });
      messages.push({
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: toolUse.type === 'tool_use' ? toolUse.id : '',
            content: 'Monday',
          },
        ],
      });
      await client.messages.create({
        model: 'gemini-3-pro-preview',
        max_tokens: 8000,
        thinking: { type: 'enabled', budget_tokens: 4000 },
        tools: [bashTool],
        messages,
      });
      const replayed = (lastModelCall().body.contents as Body[])[1];
      expect(replayed).toEqual({
        role: 'model',
        parts: [
          {
            functionCall: { name: 'Bash', args: { command: 'date' } },
            thoughtSignature: 'c2lnLWFiYw==',
          },
        ],
      });
    });

    it('uses Google’s placeholder for a call whose signature the client never had', async () => {
      await client.messages.create({
        model: 'gemini-3-pro-preview',
        max_tokens: 100,
        tools: [bashTool],
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'x', signature: 'EqQBCkYIBRgCKkAnthropicOwnSignature' },
              { type: 'tool_use', id: 'toolu_foreign1', name: 'Bash', input: { command: 'ls' } },
            ],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_foreign1', content: 'ok' }],
          },
        ],
      });
      const replayed = (lastModelCall().body.contents as Body[])[1];
      expect(replayed.parts[0].thoughtSignature).toBe('skip_thought_signature_validator');
    });
  });

  describe('media', () => {
    let images: Server;
    let imageUrl: string;

    beforeAll(async () => {
      images = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.from(PNG, 'base64'));
      });
      await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
      imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/pixel.png`;
    });

    afterAll(async () => {
      await new Promise((resolve) => images.close(resolve));
    });

    it('sends base64 and URL images and a PDF document to Google as inline data', async () => {
      await client.messages.create({
        model: 'gemini-2.5-flash',
        max_tokens: 100,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
              { type: 'image', source: { type: 'url', url: imageUrl } },
              {
                type: 'document',
                title: 'Spec',
                source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
              },
              { type: 'text', text: 'describe' },
            ],
          },
        ],
      });
      expect(lastModelCall().body.contents[0].parts).toEqual([
        { inlineData: { mimeType: 'image/png', data: PNG } },
        { inlineData: { mimeType: 'image/png', data: PNG } },
        { text: 'Spec' },
        { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQK' } },
        { text: 'describe' },
      ]);
    });
  });

  describe('count_tokens', () => {
    it('counts through Google’s countTokens, system and tools included', async () => {
      const plain = await client.messages.countTokens({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'one two three' }],
      });
      const withSystem = await client.messages.countTokens({
        model: 'claude-sonnet-4-5',
        system: 'four five',
        tools: [bashTool],
        messages: [{ role: 'user', content: 'one two three' }],
      });
      expect(plain.input_tokens).toBe(3);
      expect(withSystem.input_tokens).toBeGreaterThan(5);
      const counts = fake.requests.filter((r) => r.action === 'countTokens');
      expect(counts.map((r) => r.model)).toEqual(['gemini-2.5-flash', 'gemini-2.5-pro']);
    });
  });

  describe('models', () => {
    it('lists models and aliases in Anthropic’s shape for the SDK', async () => {
      const ids: string[] = [];
      for await (const model of client.models.list({ limit: 1000 })) {
        expect(model.type).toBe('model');
        ids.push(model.id);
      }
      expect(ids).toEqual(expect.arrayContaining(['gemini-2.5-pro', 'claude-sonnet-4-5']));
      const one = await client.models.retrieve('claude-sonnet-4-5');
      expect(one).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5' });
      await expect(client.models.retrieve('no-such-model')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('keeps OpenAI’s shape for requests without anthropic-version', async () => {
      const res = await fetch(`${proxy.url}/v1/models`, {
        headers: { authorization: `Bearer ${TEST_PASSWORD}` },
      });
      expect(((await res.json()) as { object: string }).object).toBe('list');
      const refused = await fetch(`${proxy.url}/v1/models`, {
        headers: { authorization: 'Bearer wrong' },
      });
      expect(refused.status).toBe(401);
      const body = (await refused.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        error: { type: 'authentication_error', code: 'invalid_api_key' },
      });
      expect(body).not.toHaveProperty('type');
      expect(refused.headers.get('request-id')).toBeNull();
    });

    it('answers a wrong password on the models route in Anthropic’s shape for Anthropic clients', async () => {
      const bad = new Anthropic({ baseURL: proxy.url, apiKey: 'wrong', maxRetries: 0 });
      const error = (await bad.models.list().catch((e: unknown) => e)) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    });
  });

  describe('errors', () => {
    const ask = (c: Anthropic = client, model = 'gemini-2.5-flash') =>
      c.messages
        .create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);

    it('answers a wrong password with authentication_error', async () => {
      const bad = new Anthropic({ baseURL: proxy.url, apiKey: 'wrong', maxRetries: 0 });
      const error = (await ask(bad)) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
      expect(error.requestID).toMatch(/^req_/);
    });

    it('accepts the password as Authorization: Bearer', async () => {
      const bearer = new Anthropic({
        baseURL: proxy.url,
        authToken: TEST_PASSWORD,
        apiKey: null,
        maxRetries: 0,
      });
      const message = await bearer.messages.create({
        model: 'gemini-2.5-flash',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'bearer' }],
      });
      expect(message.type).toBe('message');
    });

    it('answers a missing max_tokens with invalid_request_error naming the field', async () => {
      const error = (await client.messages
        .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] } as never)
        .catch((e: unknown) => e)) as BadRequestError;
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.error).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
      });
    });

    it('answers a body that is not JSON in Anthropic’s shape', async () => {
      const res = await fetch(`${proxy.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': TEST_PASSWORD, 'content-type': 'application/json' },
        body: '{"model":',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error' },
      });
    });

    it('rewords Google’s over-long prompt error as Anthropic’s, for Claude Code’s compaction', async () => {
      fake.failNext(
        badRequest(
          'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
        ),
      );
      const error = (await ask()) as BadRequestError;
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.error).toMatchObject({
        error: {
          type: 'invalid_request_error',
          message: 'prompt is too long: 1200000 tokens > 1048576 maximum',
        },
      });
    });

    it('answers an unknown model with not_found_error', async () => {
      const error = await ask(client, 'gemini-0-nothing');
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it('turns Google’s 503 into 529 overloaded_error', async () => {
      fake.failNext(serverError(503), { times: 3 });
      const error = (await ask(client, 'gemini-3-flash-preview')) as InternalServerError;
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error.status).toBe(529);
      expect(error.error).toMatchObject({ error: { type: 'overloaded_error' } });
    });

    it('answers a body over BODY_LIMIT with request_too_large, and pings a silent model', async () => {
      const small = await startTestProxy({
        ...fake.env(),
        GEMINI_API_KEYS: KEY_SOLO,
        BODY_LIMIT: '4kb',
        STREAM_HEARTBEAT_MS: '100',
      });
      try {
        const c = new Anthropic({ baseURL: small.url, apiKey: TEST_PASSWORD, maxRetries: 0 });
        const error = (await c.messages
          .create({
            model: 'gemini-2.5-flash',
            max_tokens: 10,
            messages: [{ role: 'user', content: 'x'.repeat(8000) }],
          })
          .catch((e: unknown) => e)) as APIError;
        expect(error.status).toBe(413);
        expect(error.error).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });

        // Eight heartbeat periods: a busy machine's pauses cannot swallow them all.
        fake.failNext({ kind: 'slowFirstByte', ms: 800 });
        const res = await fetch(`${small.url}/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': TEST_PASSWORD, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gemini-2.5-flash',
            max_tokens: 10,
            stream: true,
            messages: [{ role: 'user', content: 'slow' }],
          }),
        });
        const frames = (await res.text()).trim().split('\n\n');
        expect(frames[0]).toBe('event: ping\ndata: {"type":"ping"}');
        expect(frames).toContain('event: message_stop\ndata: {"type":"message_stop"}');
      } finally {
        await small.close();
      }
    });

    it('turns Google’s 429 into rate_limit_error with retry-after', async () => {
      const solo = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY_SOLO });
      try {
        fake.failNext(rateLimited(30));
        const c = new Anthropic({ baseURL: solo.url, apiKey: TEST_PASSWORD, maxRetries: 0 });
        const error = (await ask(c)) as RateLimitError;
        expect(error).toBeInstanceOf(RateLimitError);
        expect(error.error).toMatchObject({ error: { type: 'rate_limit_error' } });
        expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(29);
      } finally {
        await solo.close();
      }
    });
  });
});
