import { applyModelVariant } from './model-variant';

const base = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

describe('applyModelVariant', () => {
  it('passes a plain model through without copying the request', () => {
    const out = applyModelVariant('gemini-2.5-pro', base);
    expect(out.model).toBe('gemini-2.5-pro');
    expect(out.request).toBe(base);
  });

  it('strips a models/ prefix', () => {
    expect(applyModelVariant('models/gemini-2.5-pro', base).model).toBe('gemini-2.5-pro');
  });

  it('adds the Google Search tool for -search', () => {
    const out = applyModelVariant('gemini-2.5-flash-search', {
      ...base,
      tools: [{ functionDeclarations: [] }],
    });
    expect(out.model).toBe('gemini-2.5-flash');
    expect(out.request.tools).toEqual([{ functionDeclarations: [] }, { googleSearch: {} }]);
  });

  it('does not add a second search tool', () => {
    const out = applyModelVariant('gemini-2.5-flash-search', {
      ...base,
      tools: [{ googleSearch: {} }],
    });
    expect(out.request.tools).toEqual([{ googleSearch: {} }]);
  });

  it('switches thinking off for -nothinking on 2.5 Flash', () => {
    const out = applyModelVariant('gemini-2.5-flash-nothinking', base);
    expect(out.model).toBe('gemini-2.5-flash');
    expect(out.request.generationConfig?.thinkingConfig).toEqual({ thinkingBudget: 0 });
  });

  it.each([
    ['gemini-3.8-flash-nothinking', 'gemini-3.8-flash', 'minimal'],
    ['gemini-3.5-flash-lite-nothinking', 'gemini-3.5-flash-lite', 'minimal'],
    ['gemini-3.1-pro-preview-nothinking', 'gemini-3.1-pro-preview', 'low'],
    ['gemini-3.8-flash-maxthinking', 'gemini-3.8-flash', 'high'],
  ])('gives %s a thinking level and no budget', (asked, model, level) => {
    const out = applyModelVariant(asked, base);
    expect(out.model).toBe(model);
    expect(out.request.generationConfig?.thinkingConfig).toEqual({
      thinkingLevel: level,
      includeThoughts: level === 'high',
    });
  });

  it('adds no thinking control to a TTS or live model', () => {
    for (const model of ['gemini-3.8-flash-tts', 'gemini-3.8-live']) {
      const out = applyModelVariant(`${model}-nothinking`, base);
      expect([out.model, out.request.generationConfig]).toEqual([model, undefined]);
    }
  });

  it('sets the maximum budget for -maxthinking on 2.5 Pro', () => {
    const out = applyModelVariant('gemini-2.5-pro-maxthinking', base);
    expect(out.request.generationConfig?.thinkingConfig).toMatchObject({ thinkingBudget: 32768 });
  });

  it('keeps the client’s own thinking settings over the variant’s', () => {
    const out = applyModelVariant('gemini-2.5-pro-maxthinking', {
      ...base,
      generationConfig: { temperature: 1, thinkingConfig: { thinkingBudget: 2048 } },
    });
    expect(out.request.generationConfig).toMatchObject({
      temperature: 1,
      thinkingConfig: { thinkingBudget: 2048 },
    });
  });

  it.each([
    ['tools that are not an array', 'gemini-2.5-flash-search', { tools: 'search' }, 'tools'],
    ['a tool that is not an object', 'gemini-2.5-flash-search', { tools: [null, 7] }, undefined],
    [
      'a generationConfig that is not an object',
      'gemini-2.5-flash-nothinking',
      { generationConfig: 'fast' },
      'generationConfig',
    ],
    [
      'a thinkingConfig that is not an object',
      'gemini-2.5-flash-maxthinking',
      { generationConfig: { thinkingConfig: [] } },
      'generationConfig.thinkingConfig',
    ],
  ])('answers %s with a 400, or passes it on, never a TypeError', (_, model, fields, param) => {
    const request = { ...base, ...fields } as never;
    if (param === undefined) {
      expect(() => applyModelVariant(model, request)).not.toThrow();
    } else {
      expect(() => applyModelVariant(model, request)).toThrow(
        expect.objectContaining({ status: 400, param }),
      );
    }
  });
});
