import {
  MAX_MODEL_NAME_LENGTH,
  modelNameProblem,
  parseModelName,
  ReasoningEffort,
  thinkingConfigFor,
  thinkingControlOf,
} from './model-names';

describe('parseModelName', () => {
  it.each([
    ['gemini-2.5-pro', { base: 'gemini-2.5-pro', search: false }],
    ['models/gemini-2.5-pro', { base: 'gemini-2.5-pro', search: false }],
    ['gemini-2.5-flash-search', { base: 'gemini-2.5-flash', search: true }],
    ['gemini-2.5-flash-nothinking', { base: 'gemini-2.5-flash', search: false, thinking: 'none' }],
    ['gemini-2.5-pro-maxthinking', { base: 'gemini-2.5-pro', search: false, thinking: 'max' }],
    [
      'gemini-2.5-flash-search-nothinking',
      { base: 'gemini-2.5-flash', search: true, thinking: 'none' },
    ],
    [
      'models/gemini-2.5-pro-maxthinking-search',
      { base: 'gemini-2.5-pro', search: true, thinking: 'max' },
    ],
    ['gemini-3-pro-preview-search', { base: 'gemini-3-pro-preview', search: true }],
    ['gemini-2.5-flash-lite', { base: 'gemini-2.5-flash-lite', search: false }],
  ])('reads %s', (requested, expected) => {
    expect(parseModelName(requested)).toEqual(expected);
  });

  it('lets the last of two thinking suffixes win', () => {
    expect(parseModelName('gemini-2.5-pro-nothinking-maxthinking').thinking).toBe('max');
  });

  it('leaves an empty base for a bare suffix so the caller can reject it', () => {
    expect(parseModelName('-search').base).toBe('');
  });
});

describe('thinkingConfigFor', () => {
  describe('on Gemini 2.5 (budgets)', () => {
    it.each<[string, ReasoningEffort, object]>([
      ['gemini-2.5-flash', 'none', { thinkingBudget: 0 }],
      ['gemini-2.5-flash-lite', 'none', { thinkingBudget: 0 }],
      ['gemini-2.5-pro', 'none', { thinkingBudget: 128, includeThoughts: false }],
      ['gemini-2.5-flash', 'minimal', { thinkingBudget: 512, includeThoughts: true }],
      ['gemini-2.5-flash', 'low', { thinkingBudget: 1024, includeThoughts: true }],
      ['gemini-2.5-pro', 'medium', { thinkingBudget: 8192, includeThoughts: true }],
      ['gemini-2.5-flash', 'high', { thinkingBudget: 24576, includeThoughts: true }],
      ['gemini-2.5-pro', 'high', { thinkingBudget: 24576, includeThoughts: true }],
      ['gemini-2.5-flash-lite', 'minimal', { thinkingBudget: 512, includeThoughts: true }],
      ['gemini-2.5-flash-preview-09-2025', 'low', { thinkingBudget: 1024, includeThoughts: true }],
    ])('gives %s with effort %s %j', (model, effort, expected) => {
      expect(thinkingConfigFor(model, { effort })).toEqual(expected);
    });

    it.each([
      ['gemini-2.5-pro', { thinkingBudget: 32768, includeThoughts: true }],
      ['gemini-2.5-flash', { thinkingBudget: 24576, includeThoughts: true }],
      ['gemini-2.5-flash-lite', { thinkingBudget: 24576, includeThoughts: true }],
    ])('gives %s-maxthinking the largest budget the model allows', (model, expected) => {
      expect(thinkingConfigFor(model, { variant: 'max' })).toEqual(expected);
    });

    it('never sends 2.5 Pro a zero budget, which Google rejects', () => {
      expect(thinkingConfigFor('gemini-2.5-pro', { variant: 'none' })?.thinkingBudget).toBe(128);
    });

    it('lets a model-name suffix override reasoning_effort', () => {
      expect(thinkingConfigFor('gemini-2.5-flash', { effort: 'high', variant: 'none' })).toEqual({
        thinkingBudget: 0,
      });
    });
  });

  describe('on Gemini 3 (levels)', () => {
    it.each<[string, ReasoningEffort, string]>([
      ['gemini-3-pro-preview', 'none', 'low'],
      ['gemini-3-pro-preview', 'minimal', 'low'],
      ['gemini-3-pro-preview', 'low', 'low'],
      ['gemini-3-pro-preview', 'medium', 'high'],
      ['gemini-3-pro-preview', 'high', 'high'],
      ['gemini-3.1-pro-preview', 'medium', 'medium'],
      ['gemini-3-flash-preview', 'none', 'minimal'],
      ['gemini-3-flash-preview', 'minimal', 'minimal'],
      ['gemini-3-flash-preview', 'medium', 'medium'],
      ['gemini-3-flash-preview', 'xhigh', 'high'],
      ['gemini-3.1-flash-lite-preview', 'low', 'low'],
      ['gemini-3.8-flash', 'none', 'minimal'],
      ['gemini-3.8-flash', 'medium', 'medium'],
      ['gemini-3.6-flash', 'xhigh', 'high'],
      ['gemini-3.5-flash-lite', 'minimal', 'minimal'],
      ['gemini-3.1-flash-lite', 'high', 'high'],
      ['gemini-3.1-pro-preview', 'none', 'low'],
    ])('maps %s with effort %s to thinkingLevel %s', (model, effort, level) => {
      expect(thinkingConfigFor(model, { effort })?.thinkingLevel).toBe(level);
    });

    it.each(['none', 'max'] as const)(
      'never sends a 3.x model a budget, even for -%sthinking',
      (v) => {
        expect(thinkingConfigFor('gemini-3-pro-preview', { variant: v })).not.toHaveProperty(
          'thinkingBudget',
        );
      },
    );

    it('hides thoughts when the client asked for no reasoning', () => {
      expect(thinkingConfigFor('gemini-3-flash-preview', { effort: 'none' })).toEqual({
        thinkingLevel: 'minimal',
        includeThoughts: false,
      });
    });
  });

  it.each(['gemini-2.5-pro', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview'])(
    'asks %s for its thoughts and keeps its own default when nothing is requested',
    (model) => {
      expect(thinkingConfigFor(model)).toEqual({ includeThoughts: true });
    },
  );

  it.each([
    'gemini-2.5-flash-image',
    'gemini-2.5-flash-image-preview',
    'gemini-3-pro-image-preview',
    'gemini-2.5-flash-preview-tts',
    'gemini-3.8-flash-tts',
    'gemini-3.8-flash-lite-tts',
    'gemini-3.1-flash-image',
    'gemini-3-pro-image',
    'gemini-3.8-live',
    'gemini-3.8-live-extended-thinking',
    'gemini-2.0-flash',
    'gemini-embedding-001',
    'gemma-3-27b-it',
  ])('gives %s no thinkingConfig', (model) => {
    expect(thinkingConfigFor(model, { effort: 'high' })).toBeUndefined();
  });
});

describe('thinkingControlOf', () => {
  it.each([
    ['gemini-2.5-pro', 'budget'],
    ['gemini-3-flash-preview', 'level'],
    ['gemini-2.5-flash-image', undefined],
  ])('says %s takes a %s control', (model, kind) => {
    expect(thinkingControlOf(model)).toBe(kind);
  });
});

describe('modelNameProblem', () => {
  it.each([
    ['gemini-2.5-flash'],
    ['models/gemini-2.5-pro'],
    ['gemini-3-pro-preview-search-nothinking'],
    ['google/gemini-2.5-pro'],
    ['gemma:7b'],
    ['claude-sonnet-4-5@20250929'],
    ['gemini_exp.1206'],
    [' gemini-2.5-flash '],
    ['g'.repeat(MAX_MODEL_NAME_LENGTH)],
  ])('accepts %s', (name) => {
    expect(modelNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['a name past the length limit', 'g'.repeat(MAX_MODEL_NAME_LENGTH + 1), /at most 256/],
    ['a 100 KB name', 'x'.repeat(100_000), /is 100000 characters long/],
    ['an empty name', '', /is empty/],
    ['only spaces', '   ', /is empty/],
    ['a space inside', 'gemini 2.5', /not a model name/],
    ['a percent sign', '%E0', /not a model name/],
    ['a query string', 'gemini?key=x', /not a model name/],
    ['a newline', 'gemini\nx', /not a model name/],
    ['a NUL character', 'gemini\u0000', /not a model name/],
    ['non-ASCII letters', 'gémini', /not a model name/],
    ['an emoji', 'gemini-🚀', /not a model name/],
    ['a leading dot', '../gemini', /not a model name/],
    ['a leading dash', '-search', /not a model name/],
  ])('refuses %s', (_, name, reason) => {
    expect(modelNameProblem(name)).toMatch(reason);
  });
});
