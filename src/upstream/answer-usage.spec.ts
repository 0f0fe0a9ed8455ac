import { usageOf } from './answer-usage';

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
