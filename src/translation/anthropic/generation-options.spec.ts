import { ApiError } from '../../errors/api-error';
import { parseModelName } from '../../models/model-names';
import type { AnthropicMessagesRequest } from './anthropic-types';
import { toGenerationConfig } from './generation-options';

const config = (model: string, req: AnthropicMessagesRequest) =>
  toGenerationConfig(req, parseModelName(model));

describe('toGenerationConfig (Anthropic options → Gemini)', () => {
  it('maps sampling, stop and length options, clipping max_tokens to the output limit', () => {
    expect(
      config('gemini-2.5-pro', {
        max_tokens: 128_000,
        temperature: 0.5,
        top_p: 0.8,
        top_k: 20,
        stop_sequences: ['X', ''],
      }),
    ).toEqual({
      maxOutputTokens: 65536,
      temperature: 0.5,
      topP: 0.8,
      topK: 20,
      stopSequences: ['X'],
    });
  });

  it('maps output_config.format to a JSON response schema', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(
      config('gemini-2.5-flash', { output_config: { format: { type: 'json_schema', schema } } }),
    ).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
  });

  it.each<[string, AnthropicMessagesRequest, unknown]>([
    ['gemini-2.5-flash', {}, undefined],
    [
      'gemini-2.5-flash',
      { thinking: { type: 'enabled', budget_tokens: 2048 } },
      { thinkingBudget: 2048, includeThoughts: true },
    ],
    [
      'gemini-2.5-flash',
      { thinking: { type: 'enabled', budget_tokens: 99_999 } },
      { thinkingBudget: 24576, includeThoughts: true },
    ],
    [
      'gemini-2.5-pro',
      { thinking: { type: 'enabled', budget_tokens: 31_999, display: 'omitted' } },
      { thinkingBudget: 31999, includeThoughts: false },
    ],
    ['gemini-2.5-flash', { thinking: { type: 'disabled' } }, { thinkingBudget: 0 }],
    [
      'gemini-2.5-pro',
      { thinking: { type: 'disabled' } },
      { thinkingBudget: 128, includeThoughts: false },
    ],
    [
      'gemini-2.5-flash',
      { thinking: { type: 'adaptive' } },
      { thinkingBudget: -1, includeThoughts: true },
    ],
    [
      'gemini-3-pro-preview',
      { thinking: { type: 'adaptive', display: 'omitted' } },
      { includeThoughts: false },
    ],
    [
      'gemini-3-pro-preview',
      { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } },
      { thinkingLevel: 'high', includeThoughts: true },
    ],
    [
      'gemini-3-flash-preview',
      { thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } },
      { thinkingLevel: 'medium', includeThoughts: true },
    ],
    [
      'gemini-3-pro-preview',
      { thinking: { type: 'enabled', budget_tokens: 1024 } },
      { thinkingLevel: 'low', includeThoughts: true },
    ],
    [
      'gemini-3-pro-preview',
      { thinking: { type: 'enabled', budget_tokens: 31_999 } },
      { thinkingLevel: 'high', includeThoughts: true },
    ],
    [
      'gemini-3-pro-preview',
      { output_config: { effort: 'low' } },
      { thinkingLevel: 'low', includeThoughts: false },
    ],
    [
      'gemini-2.5-flash-nothinking',
      { thinking: { type: 'enabled', budget_tokens: 5000 } },
      { thinkingBudget: 0 },
    ],
    ['gemini-2.0-flash', { thinking: { type: 'enabled', budget_tokens: 5000 } }, undefined],
  ])('%s with %j → thinkingConfig %j', (model, req, thinking) => {
    expect(config(model, req)?.thinkingConfig).toEqual(thinking);
  });

  it.each<[AnthropicMessagesRequest, RegExp]>([
    [{ max_tokens: 1.5 }, /max_tokens/],
    [{ max_tokens: 0 }, /max_tokens/],
    [{ temperature: 'hot' }, /temperature/],
    [{ stop_sequences: 'END' }, /stop_sequences/],
    [{ thinking: { type: 'sometimes' } }, /thinking\.type/],
    [{ thinking: { type: 'enabled' } }, /budget_tokens/],
    [{ output_config: { effort: 'extreme' } }, /output_config\.effort/],
    [{ output_config: { format: { type: 'json_object' } } }, /output_config\.format/],
  ])('refuses %j with a 400 naming the field', (req, message) => {
    const error = (() => {
      try {
        return config('gemini-2.5-flash', req);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(message);
  });
});
