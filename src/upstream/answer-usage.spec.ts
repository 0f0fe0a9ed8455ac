import { modelVersionOf, relayedAnswer, usageOf } from './answer-usage';

const usage = {
  promptTokenCount: 12,
  candidatesTokenCount: 40,
  totalTokenCount: 59,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }],
  thoughtsTokenCount: 7,
};
const answer = (body: object, space?: number) => Buffer.from(JSON.stringify(body, null, space));

describe('usageOf', () => {
  it.each([
    ['sent compact', undefined],
    ['indented as Google sends it', 2],
  ])('reads the usage of an answer %s', (_name, space) => {
    const bytes = answer(
      {
        candidates: [{ content: { parts: [{ text: 'a {brace} and "quotes"' }] } }],
        usageMetadata: usage,
        modelVersion: 'gemini-2.5-flash',
        responseId: 'r1',
      },
      space,
    );
    expect(usageOf(bytes)).toEqual(usage);
  });

  it('gives undefined for an answer without usage', () => {
    expect(usageOf(answer({ candidates: [] }))).toBeUndefined();
  });

  it('is not fooled by the key quoted inside the model’s text', () => {
    const bytes = answer({
      candidates: [{ content: { parts: [{ text: 'say "usageMetadata": {"x": 1}' }] } }],
    });
    expect(usageOf(bytes)).toBeUndefined();
  });

  it('finds the real usage when the text also mentions the key', () => {
    const bytes = answer({
      usageMetadata: usage,
      candidates: [{ content: { parts: [{ text: 'say "usageMetadata": {"x": 1}' }] } }],
    });
    expect(usageOf(bytes)).toEqual(usage);
  });
});

describe('modelVersionOf', () => {
  it.each([
    ['sent compact', undefined],
    ['indented as Google sends it', 2],
  ])('reads the served model of an answer %s', (_name, space) => {
    const bytes = answer(
      {
        candidates: [{ content: { parts: [{ text: 'say "modelVersion": "x"' }] } }],
        usageMetadata: usage,
        modelVersion: 'gemini-3.8-flash',
        responseId: 'r1',
      },
      space,
    );
    expect(modelVersionOf(bytes)).toBe('gemini-3.8-flash');
  });

  it('gives undefined for an answer without one, or with one that is not a name', () => {
    expect(modelVersionOf(answer({ candidates: [] }))).toBeUndefined();
    expect(modelVersionOf(answer({ modelVersion: 7 }))).toBeUndefined();
    expect(modelVersionOf(answer({ modelVersion: '' }))).toBeUndefined();
  });

  it('is not fooled by the key quoted inside the model’s text', () => {
    const bytes = answer({
      candidates: [{ content: { parts: [{ text: 'say "modelVersion": "gemini-0"' }] } }],
    });
    expect(modelVersionOf(bytes)).toBeUndefined();
  });

  it('reads an escaped value by parsing the whole answer', () => {
    expect(modelVersionOf(answer({ modelVersion: 'a\\"b' }))).toBe('a\\"b');
  });

  it('is relayed with the answer', () => {
    const bytes = answer({
      candidates: [],
      usageMetadata: usage,
      modelVersion: 'gemini-3.6-flash',
    });
    expect(relayedAnswer(bytes)).toEqual({ bytes, usage, modelVersion: 'gemini-3.6-flash' });
  });
});
