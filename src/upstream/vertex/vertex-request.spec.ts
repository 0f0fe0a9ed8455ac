import { toVertexCountTokensBody, toVertexGenerateBody } from './vertex-request';

describe('toVertexGenerateBody', () => {
  it('keeps the shared serialisation when every content has its role', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'a' }] }] };
    expect(toVertexGenerateBody(body, () => 'SHARED')).toBe('SHARED');
  });

  it('gives a content without a role the user’s, as the Gemini API reads it', () => {
    const body = {
      contents: [{ parts: [{ text: 'a' }] }, { role: 'model', parts: [] }],
      tools: [],
    };
    expect(JSON.parse(toVertexGenerateBody(body, () => 'SHARED'))).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'a' }] },
        { role: 'model', parts: [] },
      ],
      tools: [],
    });
  });
});

describe('toVertexCountTokensBody', () => {
  it('unwraps the Gemini API’s generateContentRequest into Vertex’s top-level fields', () => {
    const body = {
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        contents: [{ role: 'user', parts: [{ text: 'a' }] }],
        systemInstruction: { parts: [{ text: 's' }] },
        tools: [{ functionDeclarations: [] }],
      },
    };
    expect(JSON.parse(toVertexCountTokensBody(body))).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a' }] }],
      systemInstruction: { parts: [{ text: 's' }] },
      tools: [{ functionDeclarations: [] }],
    });
  });

  it('passes plain contents with their roles filled in', () => {
    expect(JSON.parse(toVertexCountTokensBody({ contents: [{ parts: [{ text: 'a' }] }] }))).toEqual(
      {
        contents: [{ role: 'user', parts: [{ text: 'a' }] }],
      },
    );
  });
});
