import { jsonDepthWithin } from './json-depth';

describe('jsonDepthWithin', () => {
  it.each([
    ['a scalar', '42', 0, true],
    ['an empty object at depth 1', '{}', 1, true],
    ['three levels within three', '{"a":[{"b":1}]}', 3, true],
    ['three levels past two', '{"a":[{"b":1}]}', 2, false],
    ['brackets inside strings', '{"a":"[[[[{{{{"}', 1, true],
    ['an escaped quote inside a string', '{"a":"\\"[[[["}', 1, true],
    ['siblings that do not add depth', '[[],[],[],[]]', 2, true],
    ['20,000 levels', '['.repeat(20_000) + ']'.repeat(20_000), 256, false],
  ])('%s → %p', (_, text, max, within) => {
    expect(jsonDepthWithin(text, max)).toBe(within);
  });
});
