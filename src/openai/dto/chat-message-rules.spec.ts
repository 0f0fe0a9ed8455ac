import { findMessageProblem } from './chat-message-rules';

const user = (content: unknown) => ({ role: 'user', content });

describe('findMessageProblem', () => {
  it.each([
    ['a plain user message', [user('hi')]],
    [
      'system, developer, user, assistant and tool turns',
      [
        { role: 'system', content: 'be brief' },
        { role: 'developer', content: [{ type: 'text', text: 'really' }] },
        user('weather?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    ],
    [
      'every user part type',
      [
        user([
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
          { type: 'image_url', image_url: 'https://example.com/cat.png' },
          { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
          {
            type: 'file',
            file: { file_data: 'data:application/pdf;base64,AAAA', filename: 'a.pdf' },
          },
        ]),
      ],
    ],
    [
      'an assistant refusal part',
      [user('x'), { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] }],
    ],
    ['an assistant turn without content', [user('x'), { role: 'assistant' }]],
    ['a tool result with null content', [{ role: 'tool', tool_call_id: 'c', content: null }]],
    [
      'unknown extra fields on a message',
      [{ role: 'user', content: 'x', cache_control: { type: 'ephemeral' } }],
    ],
  ])('accepts %s', (_name, messages) => {
    expect(findMessageProblem(messages)).toBeUndefined();
  });

  it.each([
    ['missing messages', 'messages', undefined, 'missing_required_parameter'],
    ['messages that are not an array', 'messages', 'hi', 'invalid_type'],
    ['an empty array', 'messages', [], 'empty_array'],
    ['a message that is not an object', 'messages[0]', ['hi'], 'invalid_type'],
    [
      'a message without a role',
      'messages[0].role',
      [{ content: 'x' }],
      'missing_required_parameter',
    ],
    [
      'an unknown role',
      'messages[1].role',
      [user('x'), { role: 'robot', content: 'x' }],
      'invalid_value',
    ],
    [
      'the deprecated function role',
      'messages[0].role',
      [{ role: 'function', name: 'f', content: 'x' }],
      'invalid_value',
    ],
    [
      'a user message without content',
      'messages[0].content',
      [{ role: 'user' }],
      'missing_required_parameter',
    ],
    ['content of the wrong type', 'messages[0].content', [user(42)], 'invalid_type'],
    [
      'a part without a type',
      'messages[0].content[0].type',
      [user([{ text: 'x' }])],
      'missing_required_parameter',
    ],
    [
      'an image part in a system message',
      'messages[0].content[0].type',
      [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'x' } }] }],
      'invalid_value',
    ],
    [
      'a text part without text',
      'messages[0].content[0].text',
      [user([{ type: 'text' }])],
      'missing_required_parameter',
    ],
    [
      'an image part without a url',
      'messages[0].content[0].image_url.url',
      [user([{ type: 'image_url', image_url: {} }])],
      'missing_required_parameter',
    ],
    [
      'audio without a format',
      'messages[0].content[0].input_audio.format',
      [user([{ type: 'input_audio', input_audio: { data: 'AAAA' } }])],
      'missing_required_parameter',
    ],
    [
      'a file with numeric data',
      'messages[0].content[0].file.file_data',
      [user([{ type: 'file', file: { file_data: 1 } }])],
      'invalid_type',
    ],
    [
      'a name that is not a string',
      'messages[0].name',
      [{ role: 'user', content: 'x', name: 7 }],
      'invalid_type',
    ],
    [
      'a tool message without tool_call_id',
      'messages[0].tool_call_id',
      [{ role: 'tool', content: 'x' }],
      'missing_required_parameter',
    ],
    [
      'tool_calls that are not an array',
      'messages[0].tool_calls',
      [{ role: 'assistant', tool_calls: {} }],
      'invalid_type',
    ],
    [
      'a tool call without an id',
      'messages[0].tool_calls[0].id',
      [
        {
          role: 'assistant',
          tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      ],
      'missing_required_parameter',
    ],
    [
      'a tool call with object arguments',
      'messages[0].tool_calls[0].function.arguments',
      [{ role: 'assistant', tool_calls: [{ id: 'c', function: { name: 'f', arguments: {} } }] }],
      'invalid_type',
    ],
  ])('rejects %s, naming %s', (_name, param, messages, code) => {
    expect(findMessageProblem(messages)).toMatchObject({ param, code });
  });

  it('lists the supported roles when the role is unknown', () => {
    expect(findMessageProblem([{ role: 'robot', content: 'x' }])?.message).toBe(
      "Invalid value: 'robot'. Supported values are: 'system', 'developer', 'user', 'assistant', and 'tool'.",
    );
  });
});
