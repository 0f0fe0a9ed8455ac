import type { GeminiModel } from './model-catalogue';
import { NO_ALIASES, parseModelAliases } from '../config/model-aliases-value';
import { resolveModelAlias, withAliasEntries } from './model-aliases';

describe('parseModelAliases', () => {
  it.each([[''], ['  '], [undefined], ['{}']])('reads %j as no aliases', (raw) => {
    const aliases = parseModelAliases(raw);
    expect(aliases.exact.size).toBe(0);
    expect(aliases.prefixes).toEqual([]);
  });

  it.each([
    ['{"a":', /not valid JSON/],
    ['["gemini-2.5-pro"]', /JSON object/],
    ['"gemini-2.5-pro"', /JSON object/],
    ['{"claude-x":42}', /"claude-x" must be a non-empty Gemini model name/],
    ['{"claude-x":""}', /"claude-x" must be a non-empty/],
    ['{"*":"gemini-2.5-pro"}', /"\*" is not a usable key/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseModelAliases(raw)).toThrow(message);
  });

  it('strips models/ from targets', () => {
    const aliases = parseModelAliases('{"x":"models/gemini-2.5-pro"}');
    expect(aliases.exact.get('x')).toBe('gemini-2.5-pro');
  });
});

describe('resolveModelAlias', () => {
  const aliases = parseModelAliases(
    JSON.stringify({
      'claude-sonnet-4-5': 'gemini-2.5-pro',
      'claude-*': 'gemini-2.5-flash',
      'claude-opus-*': 'gemini-3-pro-preview',
      'gpt-5': 'gpt-4o',
      'gpt-4o': 'gemini-2.5-flash',
    }),
  );

  it.each([
    ['claude-sonnet-4-5', 'gemini-2.5-pro', 'an exact key wins over a matching pattern'],
    ['claude-haiku-4-5', 'gemini-2.5-flash', 'a pattern matches by prefix'],
    ['claude-opus-5-5', 'gemini-3-pro-preview', 'the longest matching pattern wins'],
    ['models/claude-sonnet-4-5', 'gemini-2.5-pro', 'models/ is ignored when matching'],
    ['gemini-2.5-pro', 'gemini-2.5-pro', 'an unmapped name passes through'],
    ['gemini-2.5-flash-nothinking', 'gemini-2.5-flash-nothinking', 'variants pass through'],
    ['gpt-5', 'gpt-4o', 'an alias of an alias is not followed'],
  ])('%s → %s (%s)', (requested, expected) => {
    expect(resolveModelAlias(aliases, requested)).toBe(expected);
  });

  it('returns the name untouched without aliases', () => {
    expect(resolveModelAlias(NO_ALIASES, 'models/x')).toBe('models/x');
  });
});

describe('withAliasEntries', () => {
  const models: GeminiModel[] = [
    { name: 'models/gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', outputTokenLimit: 65536 },
  ];

  it('adds exact aliases after the models, copying the target entry', () => {
    const aliases = parseModelAliases('{"claude-sonnet-4-5":"gemini-2.5-pro","claude-*":"x"}');
    const list = withAliasEntries(models, aliases);
    expect(list.map((m) => m.name)).toEqual(['models/gemini-2.5-pro', 'models/claude-sonnet-4-5']);
    expect(list[1]).toMatchObject({ baseModelId: 'gemini-2.5-pro', outputTokenLimit: 65536 });
  });

  it('lists an alias whose target is not in the list with a bare entry', () => {
    const list = withAliasEntries(models, parseModelAliases('{"a":"gemini-9"}'));
    expect(list[1]).toMatchObject({ name: 'models/a', baseModelId: 'gemini-9' });
  });

  it('never shadows a real model of the same name', () => {
    const list = withAliasEntries(models, parseModelAliases('{"gemini-2.5-pro":"gemini-3"}'));
    expect(list).toHaveLength(1);
  });
});
