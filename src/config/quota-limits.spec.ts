import { limitsFor, parseLimitTable } from './quota-limits';

describe('parseLimitTable', () => {
  it('takes models and prefixes, the longest prefix first', () => {
    const table = parseLimitTable(
      '{"gemini-2.5-flash":{"rpm":5,"tpm":250000,"rpd":20},"gemini-*":{"rpm":2},"gemini-2.5-*":{"rpm":10}}',
    );
    expect(limitsFor(table, 'gemini-2.5-flash')).toEqual({ rpm: 5, tpm: 250000, rpd: 20 });
    expect(limitsFor(table, 'gemini-2.5-pro')).toEqual({ rpm: 10 });
    expect(limitsFor(table, 'gemini-3-pro-preview')).toEqual({ rpm: 2 });
    expect(limitsFor(table, 'other')).toBeUndefined();
  });

  it.each([
    ['not JSON', '{rpm:5}', /not valid JSON/],
    ['not an object', '[1]', /JSON object/],
    ['an unknown limit', '{"m":{"rph":5}}', /unknown limit "rph"/],
    ['a negative limit', '{"m":{"rpm":-1}}', /whole number/],
    ['a fraction', '{"m":{"rpm":1.5}}', /whole number/],
    ['an empty model', '{" ":{"rpm":1}}', /not a model name/],
  ])('refuses %s with a message', (_, raw, message) => {
    expect(() => parseLimitTable(raw, 'QUOTA_LIMITS')).toThrow(message);
  });

  it('reads an empty value as no limits', () => {
    expect(parseLimitTable('').exact.size).toBe(0);
    expect(parseLimitTable('{}').prefixes).toHaveLength(0);
  });
});
