import { ApiError } from '../errors/api-error';
import { findChatRequestProblem } from './dto/chat-request-rules';
import { findEmbeddingsRequestProblem } from './dto/embeddings-request-rules';
import { OpenAIBodyPipe } from './openai-body.pipe';

const chat = new OpenAIBodyPipe(findChatRequestProblem);
const embeddings = new OpenAIBodyPipe(findEmbeddingsRequestProblem);

const valid = () => ({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] });

function rejection(body: unknown, pipe = chat): ApiError {
  try {
    pipe.transform(body);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('the body was accepted');
}

describe('OpenAIBodyPipe', () => {
  it('hands the controller the parsed body itself, messages and all', () => {
    const image = `data:image/png;base64,${'A'.repeat(1_000_000)}`;
    const body = {
      ...valid(),
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: image } }] }],
    };
    const result = chat.transform(body) as typeof body;
    expect(result).toBe(body);
    expect(result.messages).toBe(body.messages);
  });

  it('tolerates fields it does not know', () => {
    const body = {
      ...valid(),
      logprobs: false,
      metadata: { a: 'b' },
      store: true,
      some_future_field: 1,
    };
    expect(chat.transform(body)).toBe(body);
  });

  it('accepts a full request with every supported option', () => {
    const body = {
      ...valid(),
      tools: [
        {
          type: 'function',
          function: { name: 'w', description: 'd', parameters: { type: 'object' }, strict: true },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'w' } },
      parallel_tool_calls: true,
      temperature: 0.5,
      top_p: 0.9,
      max_tokens: 100,
      max_completion_tokens: 100,
      stop: ['END'],
      n: 2,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: -0.1,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', schema: { type: 'object' }, strict: true },
      },
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
      user: 'u',
      google: { thinking_config: { thinking_budget: 10 } },
    };
    expect(chat.transform(body)).toBe(body);
  });

  it('accepts null for the options OpenAI lets clients null out', () => {
    const body = {
      ...valid(),
      temperature: null,
      max_tokens: null,
      stop: null,
      n: null,
      tool_choice: null,
      stream_options: null,
    };
    expect(chat.transform(body)).toBe(body);
  });

  it.each([
    [
      'a missing model',
      'model',
      { messages: [{ role: 'user', content: 'x' }] },
      'missing_required_parameter',
    ],
    ['a numeric model', 'model', { ...valid(), model: 3 }, 'invalid_type'],
    ['a 300-character model', 'model', { ...valid(), model: 'g'.repeat(300) }, 'invalid_value'],
    ['a model with a space', 'model', { ...valid(), model: 'gemini 2.5' }, 'invalid_value'],
    ['a model with a newline', 'model', { ...valid(), model: 'gemini\nx' }, 'invalid_value'],
    ['missing messages', 'messages', { model: 'm' }, 'missing_required_parameter'],
    ['empty messages', 'messages', { model: 'm', messages: [] }, 'empty_array'],
    [
      'an unknown role',
      'messages[0].role',
      { model: 'm', messages: [{ role: 'bot', content: 'x' }] },
      'invalid_value',
    ],
    [
      'a temperature given as a string',
      'temperature',
      { ...valid(), temperature: '0.5' },
      'invalid_type',
    ],
    ['a temperature above 2', 'temperature', { ...valid(), temperature: 3 }, 'invalid_value'],
    ['n of zero', 'n', { ...valid(), n: 0 }, 'invalid_value'],
    ['n above Gemini’s limit', 'n', { ...valid(), n: 9 }, 'invalid_value'],
    ['a fractional n', 'n', { ...valid(), n: 1.5 }, 'invalid_type'],
    [
      'an unknown response_format type',
      'response_format.type',
      { ...valid(), response_format: { type: 'xml' } },
      'invalid_value',
    ],
    [
      'json_schema without its schema object',
      'response_format.json_schema',
      { ...valid(), response_format: { type: 'json_schema' } },
      'missing_required_parameter',
    ],
    [
      'a response_format that is a string',
      'response_format',
      { ...valid(), response_format: 'json' },
      'invalid_type',
    ],
    ['stream given as a string', 'stream', { ...valid(), stream: 'yes' }, 'invalid_type'],
    [
      'include_usage given as a string',
      'stream_options.include_usage',
      { ...valid(), stream_options: { include_usage: 'yes' } },
      'invalid_type',
    ],
    [
      'a tool without a function name',
      'tools[0].function.name',
      { ...valid(), tools: [{ type: 'function', function: { parameters: {} } }] },
      'missing_required_parameter',
    ],
    [
      'a tool of an unknown type',
      'tools[0].type',
      { ...valid(), tools: [{ type: 'code_interpreter' }] },
      'invalid_value',
    ],
    [
      'tools that are not an array',
      'tools',
      { ...valid(), tools: { type: 'function' } },
      'invalid_type',
    ],
    ['a numeric stop sequence', 'stop[0]', { ...valid(), stop: [1] }, 'invalid_type'],
    [
      'an unknown tool_choice',
      'tool_choice',
      { ...valid(), tool_choice: 'always' },
      'invalid_value',
    ],
    ['an empty model', 'model', { ...valid(), model: '' }, 'invalid_value'],
    ['a null model', 'model', { ...valid(), model: null }, 'invalid_type'],
    ['a tool that is a string', 'tools[0]', { ...valid(), tools: ['w'] }, 'invalid_type'],
    [
      'a tool without its function',
      'tools[0].function',
      { ...valid(), tools: [{ type: 'function' }] },
      'missing_required_parameter',
    ],
    [
      'a json_schema that is a string',
      'response_format.json_schema',
      { ...valid(), response_format: { type: 'json_schema', json_schema: 'x' } },
      'invalid_type',
    ],
    ['a top_p above 1', 'top_p', { ...valid(), top_p: 1.5 }, 'invalid_value'],
    [
      'a negative penalty past -2',
      'presence_penalty',
      { ...valid(), presence_penalty: -3 },
      'invalid_value',
    ],
    ['a fractional seed', 'seed', { ...valid(), seed: 0.5 }, 'invalid_type'],
    [
      'an unknown reasoning_effort',
      'reasoning_effort',
      { ...valid(), reasoning_effort: 'extreme' },
      'invalid_value',
    ],
  ])('rejects %s, naming %s', (_name, param, body, code) => {
    const error = rejection(body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, kind: 'invalid_request', param, code });
  });

  it('says which field is missing in OpenAI’s words', () => {
    expect(rejection({ model: 'm' }).message).toBe("Missing required parameter: 'messages'.");
  });

  it('puts the full path of a nested field in the message', () => {
    const error = rejection({
      ...valid(),
      tools: [{ type: 'function', function: { name: 5 } }],
    });
    expect(error.message).toBe("Invalid 'tools[0].function.name': must be a string.");
  });

  it.each([
    [{ temperature: 3 }, "Invalid 'temperature': must not be greater than 2."],
    [{ max_tokens: 0 }, "Invalid 'max_tokens': must not be less than 1."],
    [{ n: 9 }, "Invalid 'n': must not be greater than 8 (Gemini's candidateCount limit)."],
    [{ n: 1.5 }, "Invalid 'n': must be an integer number."],
    [{ stream: 'yes' }, "Invalid 'stream': must be a boolean value."],
    [{ model: '' }, "Invalid 'model': should not be empty."],
    [
      { response_format: { type: 'xml' } },
      "Invalid 'response_format.type': must be one of the following values: text, json_object, json_schema.",
    ],
  ])('words a bad %j as class-validator did', (fields, message) => {
    expect(rejection({ ...valid(), ...fields }).message).toBe(message);
  });

  it('reports the first bad field in the order OpenAI documents them', () => {
    expect(rejection({ ...valid(), temperature: 5, model: 3 }).param).toBe('model');
  });

  it('reports a wrong type before the range check it also fails', () => {
    expect(rejection({ ...valid(), temperature: '0.5' }).message).toBe(
      "Invalid 'temperature': must be a number conforming to the specified constraints.",
    );
  });

  it.each([
    ['an array', [valid()]],
    ['a string', 'hello'],
    ['nothing', undefined],
  ])('rejects a body that is %s', (_name, body) => {
    expect(rejection(body)).toMatchObject({
      status: 400,
      message: 'The request body must be a JSON object.',
    });
  });

  describe('for embeddings', () => {
    it.each([
      ['a string', 'hello'],
      ['an array of strings', ['a', 'b']],
    ])('accepts %s as input', (_name, input) => {
      const body = {
        model: 'gemini-embedding-001',
        input,
        dimensions: 8,
        encoding_format: 'base64',
      };
      expect(embeddings.transform(body)).toBe(body);
    });

    it.each([
      ['a missing input', 'input', { model: 'e' }, 'missing_required_parameter'],
      ['an empty input array', 'input', { model: 'e', input: [] }, 'empty_array'],
      ['token ids', 'input[0]', { model: 'e', input: [[1, 2, 3]] }, 'invalid_value'],
      [
        'an unknown encoding',
        'encoding_format',
        { model: 'e', input: 'x', encoding_format: 'hex' },
        'invalid_value',
      ],
      ['zero dimensions', 'dimensions', { model: 'e', input: 'x', dimensions: 0 }, 'invalid_value'],
      ['a 300-character model', 'model', { model: 'e'.repeat(300), input: 'x' }, 'invalid_value'],
      ['a model with odd unicode', 'model', { model: 'e\u202e', input: 'x' }, 'invalid_value'],
    ])('rejects %s, naming %s', (_name, param, body, code) => {
      expect(rejection(body, embeddings)).toMatchObject({ status: 400, param, code });
    });

    it('explains that token ids cannot be embedded', () => {
      expect(rejection({ model: 'e', input: [[1, 2]] }, embeddings).message).toMatch(
        /Gemini embeds text/,
      );
    });
  });
});
