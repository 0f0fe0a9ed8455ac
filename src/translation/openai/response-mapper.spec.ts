import type { GeminiCandidate, GeminiPart, GeminiResponse } from '../../upstream/gemini-types';
import { toChatCompletion } from './response-mapper';
import { InMemoryThoughtSignatureStore } from '../common/thought-signature-store';

// Recorded shapes of Gemini API answers (API-key backend; Code Assist wraps the same in `response`).
const FLASH_WITH_THOUGHTS: GeminiResponse = {
  candidates: [
    {
      content: {
        role: 'model',
        parts: [
          { text: '**Adding the numbers**\n\nThe user asks for 2+2.', thought: true },
          { text: '2 + 2 = ' },
          { text: '4.' },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 8,
    candidatesTokenCount: 7,
    thoughtsTokenCount: 30,
    totalTokenCount: 45,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 8 }],
  },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'aLuPaOaKJ9WWz7IP4Zi6-AQ',
};

const GEMINI3_PARALLEL_CALLS: GeminiResponse = {
  candidates: [
    {
      content: {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'get_weather', args: { city: 'Paris' } },
            thoughtSignature: 'CpcCAdHtim9Ew',
          },
          { functionCall: { name: 'get_weather', args: { city: 'Tokyo' } } },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 120,
    candidatesTokenCount: 24,
    thoughtsTokenCount: 88,
    totalTokenCount: 232,
  },
  modelVersion: 'gemini-3-pro-preview',
};

const BLOCKED_PROMPT: GeminiResponse = {
  promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
  usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 },
  modelVersion: 'gemini-2.5-pro',
};

const ctx = (signatures = new InMemoryThoughtSignatureStore()) => ({
  model: 'gemini-2.5-flash-search',
  signatures,
});

const candidate = (parts: GeminiPart[], finishReason = 'STOP', index = 0): GeminiCandidate => ({
  content: { role: 'model', parts },
  finishReason,
  index,
});

describe('toChatCompletion', () => {
  it('gives an OpenAI chat.completion envelope with the model as requested', () => {
    const out = toChatCompletion(FLASH_WITH_THOUGHTS, { ...ctx(), created: 1_750_000_000 });
    expect(out).toMatchObject({
      id: 'chatcmpl-aLuPaOaKJ9WWz7IP4Zi6-AQ',
      object: 'chat.completion',
      created: 1_750_000_000,
      model: 'gemini-2.5-flash-search',
    });
  });

  it('uses the id the caller chose', () => {
    expect(toChatCompletion(FLASH_WITH_THOUGHTS, { ...ctx(), id: 'chatcmpl-fixed' }).id).toBe(
      'chatcmpl-fixed',
    );
  });

  it('joins the text parts as content', () => {
    expect(toChatCompletion(FLASH_WITH_THOUGHTS, ctx()).choices[0].message.content).toBe(
      '2 + 2 = 4.',
    );
  });

  it('puts thought parts in reasoning_content, not in content', () => {
    expect(toChatCompletion(FLASH_WITH_THOUGHTS, ctx()).choices[0].message.reasoning_content).toBe(
      '**Adding the numbers**\n\nThe user asks for 2+2.',
    );
  });

  it('counts thought tokens as completion and reasoning tokens', () => {
    expect(toChatCompletion(FLASH_WITH_THOUGHTS, ctx()).usage).toEqual({
      prompt_tokens: 8,
      completion_tokens: 37,
      total_tokens: 45,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
  });

  it('turns function calls into tool_calls with null content and finish_reason tool_calls', () => {
    const choice = toChatCompletion(GEMINI3_PARALLEL_CALLS, ctx()).choices[0];
    expect(choice).toMatchObject({
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('gives every tool call its own call_ id', () => {
    const calls = toChatCompletion(GEMINI3_PARALLEL_CALLS, ctx()).choices[0].message.tool_calls!;
    expect(calls.map((c) => c.id)).toEqual([
      expect.stringMatching(/^call_[0-9a-f]{24}$/),
      expect.stringMatching(/^call_/),
    ]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
  });

  it('keeps a call’s thought signature under its id and only that call’s', () => {
    const store = new InMemoryThoughtSignatureStore();
    const [paris, tokyo] = toChatCompletion(GEMINI3_PARALLEL_CALLS, ctx(store)).choices[0].message
      .tool_calls!;
    expect([store.get(paris.id), store.get(tokyo.id)]).toEqual(['CpcCAdHtim9Ew', undefined]);
  });

  it('also hands the signature out in extra_content.google as Google’s endpoint does', () => {
    const [paris] = toChatCompletion(GEMINI3_PARALLEL_CALLS, ctx()).choices[0].message.tool_calls!;
    expect(paris.extra_content).toEqual({ google: { thought_signature: 'CpcCAdHtim9Ew' } });
  });

  it('keeps text that comes with tool calls', () => {
    const resp = {
      candidates: [candidate([{ text: 'Checking.' }, { functionCall: { name: 'f', args: {} } }])],
    };
    const message = toChatCompletion(resp, ctx()).choices[0].message;
    expect([message.content, message.tool_calls?.[0].function.arguments]).toEqual([
      'Checking.',
      '{}',
    ]);
  });

  it('gives one choice per candidate, in index order', () => {
    const resp = {
      candidates: [candidate([{ text: 'B' }], 'STOP', 1), candidate([{ text: 'A' }], 'STOP', 0)],
    };
    const choices = toChatCompletion(resp, ctx()).choices;
    expect(choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, 'A'],
      [1, 'B'],
    ]);
  });

  it('returns an image Gemini makes in message.images as a data URL, beside the text', () => {
    const resp = {
      candidates: [
        candidate([
          { text: 'Here is your cat.' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0K' } },
          { inlineData: { mimeType: 'image/png', data: 'draft' }, thought: true },
        ]),
      ],
    };
    const { message } = toChatCompletion(resp, ctx()).choices[0];
    expect(message.content).toBe('Here is your cat.');
    expect(message.images).toEqual([
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
    ]);
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'stop'],
    ['OTHER', 'stop'],
  ])('maps finishReason %s to %s', (reason, expected) => {
    const resp = { candidates: [candidate([{ text: 'x' }], reason)] };
    expect(toChatCompletion(resp, ctx()).choices[0].finish_reason).toBe(expected);
  });

  it('answers a blocked prompt with one empty choice and content_filter', () => {
    expect(toChatCompletion(BLOCKED_PROMPT, ctx()).choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: 'content_filter',
      },
    ]);
  });

  it('reports usage even for a blocked prompt', () => {
    expect(toChatCompletion(BLOCKED_PROMPT, ctx()).usage?.prompt_tokens).toBe(12);
  });

  it('gives empty content, not null, to a candidate with no parts', () => {
    const resp = { candidates: [{ finishReason: 'SAFETY', index: 0 }] };
    expect(toChatCompletion(resp, ctx()).choices[0].message.content).toBe('');
  });
});
