import { fromVertexEmbeddings, toVertexEmbedCalls } from './vertex-embeddings';

const text = (t: string) => ({ content: { parts: [{ text: t }] } });

describe('toVertexEmbedCalls', () => {
  it('sends gemini-embedding-001 one predict instance per call (Vertex takes only one)', () => {
    const calls = toVertexEmbedCalls('gemini-embedding-001', 'batchEmbedContents', {
      requests: [
        { ...text('a'), outputDimensionality: 3, taskType: 'RETRIEVAL_QUERY' },
        { ...text('b'), outputDimensionality: 3 },
      ],
    });
    expect(calls).toEqual([
      {
        method: 'predict',
        count: 1,
        body: {
          instances: [{ content: 'a', task_type: 'RETRIEVAL_QUERY' }],
          parameters: { outputDimensionality: 3, autoTruncate: true },
        },
      },
      {
        method: 'predict',
        count: 1,
        body: {
          instances: [{ content: 'b' }],
          parameters: { outputDimensionality: 3, autoTruncate: true },
        },
      },
    ]);
  });

  it('batches a text-embedding model’s inputs into one predict call', () => {
    const calls = toVertexEmbedCalls('text-embedding-005', 'batchEmbedContents', {
      requests: [text('a'), { ...text('b'), title: 'Doc' }],
    });
    expect(calls).toEqual([
      {
        method: 'predict',
        count: 2,
        body: {
          instances: [{ content: 'a' }, { content: 'b', title: 'Doc' }],
          parameters: { autoTruncate: true },
        },
      },
    ]);
  });

  it('sends the newer Gemini embedding models one embedContent call per content', () => {
    const calls = toVertexEmbedCalls('gemini-embedding-2-preview', 'embedContent', {
      ...text('x'),
      outputDimensionality: 7,
    });
    expect(calls).toEqual([
      { method: 'embedContent', count: 1, body: { ...text('x'), outputDimensionality: 7 } },
    ]);
  });
});

describe('fromVertexEmbeddings', () => {
  it('answers batchEmbedContents in input order across calls of both shapes', () => {
    const calls = toVertexEmbedCalls('text-embedding-005', 'batchEmbedContents', {
      requests: [text('a'), text('b')],
    });
    const answer = fromVertexEmbeddings('batchEmbedContents', calls, [
      { predictions: [{ embeddings: { values: [1] } }, { embeddings: { values: [2] } }] },
    ]);
    expect(answer).toEqual({ embeddings: [{ values: [1] }, { values: [2] }] });
  });

  it('answers embedContent with the one vector', () => {
    const calls = toVertexEmbedCalls('gemini-embedding-2-preview', 'embedContent', text('x'));
    expect(fromVertexEmbeddings('embedContent', calls, [{ embedding: { values: [0.5] } }])).toEqual(
      {
        embedding: { values: [0.5] },
      },
    );
  });
});
