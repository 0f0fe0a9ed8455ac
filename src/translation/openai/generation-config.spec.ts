import { toGenerationConfig } from './generation-config';
import { parseModelName } from '../../models/model-names';
import type { OpenAIChatRequest } from './openai-types';

const config = (patch: Partial<OpenAIChatRequest>, model = 'gemini-2.0-flash') =>
  toGenerationConfig({ model, messages: [], ...patch }, parseModelName(model), {});

describe('toGenerationConfig', () => {
  it.each<[string, Partial<OpenAIChatRequest>, object]>([
    ['temperature', { temperature: 0.2 }, { temperature: 0.2 }],
    ['top_p', { top_p: 0.9 }, { topP: 0.9 }],
    ['max_tokens', { max_tokens: 256 }, { maxOutputTokens: 256 }],
    ['max_completion_tokens', { max_completion_tokens: 512 }, { maxOutputTokens: 512 }],
    ['a stop string', { stop: '\n\n' }, { stopSequences: ['\n\n'] }],
    ['a stop array', { stop: ['END', 'STOP'] }, { stopSequences: ['END', 'STOP'] }],
    ['n', { n: 3 }, { candidateCount: 3 }],
    ['seed', { seed: 42 }, { seed: 42 }],
    ['presence_penalty', { presence_penalty: 0.5 }, { presencePenalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: -0.5 }, { frequencyPenalty: -0.5 }],
    [
      'response_format json_object',
      { response_format: { type: 'json_object' } },
      { responseMimeType: 'application/json' },
    ],
  ])('maps %s', (_, patch, expected) => {
    expect(config(patch)).toEqual(expected);
  });

  it('prefers max_completion_tokens over max_tokens', () => {
    expect(config({ max_tokens: 100, max_completion_tokens: 200 })?.maxOutputTokens).toBe(200);
  });

  it('passes a json_schema response format as responseJsonSchema, unchanged', () => {
    const schema = {
      type: 'object',
      properties: { steps: { type: 'array', items: { $ref: '#/$defs/step' } } },
      $defs: { step: { type: 'object', properties: { explanation: { type: 'string' } } } },
      required: ['steps'],
      additionalProperties: false,
    };
    const cfg = config({
      response_format: { type: 'json_schema', json_schema: { name: 'math', schema, strict: true } },
    });
    expect(cfg).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
  });

  it.each<[string, Partial<OpenAIChatRequest>]>([
    ['response_format text', { response_format: { type: 'text' } }],
    ['n of 1', { n: 1 }],
    [
      'penalties of zero, which LangChain sends on every call',
      { presence_penalty: 0, frequency_penalty: 0 },
    ],
    ['nulls the openai SDK may send', { temperature: null, stop: null, seed: null }],
    ['empty stop strings', { stop: [''] }],
  ])('sets nothing for %s', (_, patch) => {
    expect(config(patch)).toBeUndefined();
  });

  it('derives the thinking config from reasoning_effort', () => {
    expect(config({ reasoning_effort: 'low' }, 'gemini-3-pro-preview')?.thinkingConfig).toEqual({
      thinkingLevel: 'low',
      includeThoughts: true,
    });
  });

  it.each<[string, Partial<OpenAIChatRequest>, string]>([
    ['a string temperature', { temperature: '0.7' as unknown as number }, 'temperature'],
    ['a fractional max_tokens', { max_tokens: 10.5 }, 'max_tokens'],
    ['n of zero', { n: 0 }, 'n'],
    ['a stop of numbers', { stop: [1] as unknown as string[] }, 'stop'],
    ['an unknown reasoning_effort', { reasoning_effort: 'extreme' as never }, 'reasoning_effort'],
    [
      'an unknown response_format',
      { response_format: { type: 'xml' } as never },
      'response_format.type',
    ],
  ])('rejects %s naming the field', (_, patch, param) => {
    expect(() => config(patch)).toThrow(expect.objectContaining({ status: 400, param }));
  });
});
