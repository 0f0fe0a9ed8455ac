import { jsonNestingExceeds } from './json-depth';

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('jsonNestingExceeds', () => {
  it.each([
    ['a flat object', '{"a":1}', 1, false],
    ['an object one level too deep', '{"a":{"b":1}}', 1, true],
    ['arrays exactly at the limit', nested(100), 100, false],
    ['arrays one past the limit', nested(101), 100, true],
    ['brackets inside strings', '{"a":"[[[[{{{{"}', 1, false],
    ['an escaped quote before brackets', '{"a":"\\"[[[["}', 1, false],
    ['an escaped backslash closing the string', '{"a":"\\\\","b":[[1]]}', 2, true],
    ['an unterminated string', '{"a":"[[[[', 1, false],
  ])('judges %s', (_name, text, max, expected) => {
    expect(jsonNestingExceeds(text, max)).toBe(expected);
  });

  it('scans a deep 5,000-level body without recursion', () => {
    expect(jsonNestingExceeds(nested(5000), 100)).toBe(true);
  });
});
