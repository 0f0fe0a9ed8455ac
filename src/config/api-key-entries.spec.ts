import { parseApiKeyEntries, parseApiKeys } from './env-values';

describe('GEMINI_API_KEYS entries', () => {
  it('takes objects with their own limits and project beside plain keys', () => {
    const entries = parseApiKeyEntries(
      '[{"key":"AIzaOne","limits":{"gemini-2.5-flash":{"rpm":5}},"project":"p1"},"AIzaTwo"]',
    );
    expect(entries.map((e) => e.key)).toEqual(['AIzaOne', 'AIzaTwo']);
    expect(entries[0].project).toBe('p1');
    expect(entries[0].limits?.exact.get('gemini-2.5-flash')).toEqual({ rpm: 5 });
    expect(parseApiKeys('[{"key":"AIzaOne"},"AIzaOne"," "]')).toEqual(['AIzaOne']);
  });

  it.each([
    ['an object without a key', '[{"limits":{}}]', /item 0 must be a key string/],
    [
      'bad limits',
      '[{"key":"k","limits":{"m":{"rpm":"five"}}}]',
      /item 0: limits\["m"\]\.rpm must be a whole number/,
    ],
  ])('refuses %s, naming the item', (_, raw, message) => {
    expect(() => parseApiKeyEntries(raw)).toThrow(message);
  });
});
