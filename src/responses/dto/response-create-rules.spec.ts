import { findCreateProblem } from './response-create-rules';

const base = { model: 'gemini-2.5-flash', input: 'hi' };

describe('findCreateProblem', () => {
  it.each([
    [
      'the fields Codex CLI sends',
      {
        ...base,
        stream: true,
        tools: [],
        tool_choice: 'auto',
        parallel_tool_calls: true,
        reasoning: { summary: 'auto', effort: 'medium' },
        store: false,
        include: ['reasoning.encrypted_content'],
        prompt_cache_key: 'uuid',
        text: { verbosity: 'low' },
        client_metadata: { a: 'b' },
      },
    ],
    [
      'tuning fields with no Gemini equivalent',
      {
        ...base,
        metadata: { k: 'v' },
        truncation: 'auto',
        service_tier: 'auto',
        safety_identifier: 'u',
        user: 'u',
        stream_options: { include_obfuscation: false },
        prompt_cache_retention: '24h',
        top_logprobs: 0,
        include: ['web_search_call.action.sources'],
      },
    ],
    [
      'a JSON schema format',
      { ...base, text: { format: { type: 'json_schema', name: 'x', schema: {} } } },
    ],
    ['effort max', { ...base, reasoning: { effort: 'max' } }],
  ])('accepts %s', (_name, body) => {
    expect(findCreateProblem(body)).toBeUndefined();
  });

  it.each([
    ['no model', { input: 'x' }, 'model', 'missing_required_parameter'],
    ['an odd model name', { model: 'gemini pro', input: 'x' }, 'model', 'invalid_value'],
    ['an overlong model name', { model: 'g'.repeat(300), input: 'x' }, 'model', 'invalid_value'],
    ['input of the wrong type', { ...base, input: 3 }, 'input', 'invalid_type'],
    [
      'a zero max_output_tokens',
      { ...base, max_output_tokens: 0 },
      'max_output_tokens',
      'integer_below_min_value',
    ],
    [
      'a fractional max_output_tokens',
      { ...base, max_output_tokens: 1.5 },
      'max_output_tokens',
      'invalid_type',
    ],
    [
      'an unknown effort',
      { ...base, reasoning: { effort: 'huge' } },
      'reasoning.effort',
      'invalid_value',
    ],
    [
      'an unknown summary',
      { ...base, reasoning: { summary: 'long' } },
      'reasoning.summary',
      'invalid_value',
    ],
    [
      'an unknown format',
      { ...base, text: { format: { type: 'yaml' } } },
      'text.format.type',
      'invalid_value',
    ],
    [
      'a json_schema format without schema',
      { ...base, text: { format: { type: 'json_schema', name: 'x' } } },
      'text.format.schema',
      'missing_required_parameter',
    ],
    [
      'a conversation',
      { ...base, conversation: 'conv_1' },
      'conversation',
      'unsupported_parameter',
    ],
    ['a stored prompt', { ...base, prompt: { id: 'pmpt_1' } }, 'prompt', 'unsupported_parameter'],
    ['a background run', { ...base, background: true }, 'background', 'unsupported_parameter'],
    ['log probabilities', { ...base, top_logprobs: 3 }, 'top_logprobs', 'unsupported_parameter'],
    [
      'log probabilities by include',
      { ...base, include: ['message.output_text.logprobs'] },
      'include',
      'unsupported_parameter',
    ],
  ])('refuses %s', (_name, body, param, code) => {
    expect(findCreateProblem(body)).toMatchObject({ param, code });
  });
});

describe('findCreateProblem messages', () => {
  it('tells a zero max_output_tokens by its bound, not its type', () => {
    const problem = findCreateProblem({ model: 'gemini-2.5-flash', max_output_tokens: 0 });
    expect(problem?.message).toBe(
      "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.",
    );
  });
});
