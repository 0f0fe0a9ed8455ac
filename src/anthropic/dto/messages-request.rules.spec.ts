import { countTokensRule, createMessageRule } from './messages-request.rules';

const valid = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

describe('Messages request rules', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['a minimal request', valid, undefined],
    [
      'unknown fields and a system role',
      { ...valid, betas: ['x'], messages: [{ role: 'system', content: [] }] },
      undefined,
    ],
    ['no model', { ...valid, model: undefined }, 'model: Field required'],
    ['an empty model', { ...valid, model: ' ' }, 'model: Input should be a non-empty string'],
    [
      'an odd model name',
      { ...valid, model: 'claude sonnet' },
      'model: is not a model name: use letters, digits and . _ - : @ / only, starting with a letter or digit.',
    ],
    [
      'an overlong model name',
      { ...valid, model: 'c'.repeat(300) },
      'model: is 300 characters long; a model name has at most 256.',
    ],
    ['no max_tokens', { ...valid, max_tokens: undefined }, 'max_tokens: Field required'],
    [
      'a fractional max_tokens',
      { ...valid, max_tokens: 1.5 },
      'max_tokens: Input should be a valid integer',
    ],
    [
      'max_tokens 0',
      { ...valid, max_tokens: 0 },
      'max_tokens: Input should be greater than or equal to 1',
    ],
    ['no messages', { ...valid, messages: undefined }, 'messages: Field required'],
    ['no message at all', { ...valid, messages: [] }, 'messages: at least one message is required'],
    [
      'a bad role',
      { ...valid, messages: [{ role: 'bot', content: 'x' }] },
      "messages.0.role: Input should be 'user', 'assistant' or 'system'",
    ],
    [
      'content that is a number',
      { ...valid, messages: [{ role: 'user', content: 1 }] },
      'messages.0.content: Input should be a valid string or list of content blocks',
    ],
    [
      'a stream that is not boolean',
      { ...valid, stream: 'yes' },
      'stream: Input should be a valid boolean',
    ],
  ])('createMessage: %s', (_name, body, problem) => {
    expect(createMessageRule(body)).toBe(problem);
  });

  it('counts tokens without max_tokens', () => {
    expect(
      countTokensRule({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    ).toBeUndefined();
  });
});
