import {
  EMBED_BATCH_LIMIT,
  GeminiBatchEmbedResponse,
  toEmbeddingsRequest,
  toEmbeddingsResponse,
} from './embeddings-mapper';
import type { OpenAIEmbeddingsRequest } from './openai-types';

const req = (patch: Partial<OpenAIEmbeddingsRequest> = {}): OpenAIEmbeddingsRequest => ({
  model: 'gemini-embedding-001',
  input: 'The food was delicious and the waiter was friendly.',
  ...patch,
});

const answer = (...vectors: number[][]): GeminiBatchEmbedResponse => ({
  embeddings: vectors.map((values) => ({ values })),
});

describe('toEmbeddingsRequest', () => {
  it('maps one string to one batchEmbedContents request', () => {
    expect(toEmbeddingsRequest(req())).toEqual({
      model: 'gemini-embedding-001',
      batches: [
        {
          requests: [
            {
              model: 'models/gemini-embedding-001',
              content: { parts: [{ text: 'The food was delicious and the waiter was friendly.' }] },
            },
          ],
        },
      ],
    });
  });

  it('keeps the order of an array of strings', () => {
    const texts = toEmbeddingsRequest(req({ input: ['first', 'second'] })).batches[0].requests.map(
      (r) => r.content.parts[0].text,
    );
    expect(texts).toEqual(['first', 'second']);
  });

  it('accepts the model with a models/ prefix', () => {
    expect(toEmbeddingsRequest(req({ model: 'models/gemini-embedding-001' })).model).toBe(
      'gemini-embedding-001',
    );
  });

  it('maps dimensions to outputDimensionality', () => {
    expect(
      toEmbeddingsRequest(req({ dimensions: 768 })).batches[0].requests[0].outputDimensionality,
    ).toBe(768);
  });

  it('passes google.task_type as taskType', () => {
    const mapped = toEmbeddingsRequest(req({ google: { task_type: 'RETRIEVAL_DOCUMENT' } }));
    expect(mapped.batches[0].requests[0].taskType).toBe('RETRIEVAL_DOCUMENT');
  });

  it(`splits inputs into batches of ${EMBED_BATCH_LIMIT}, the most Gemini takes at once`, () => {
    const input = Array.from({ length: 512 }, (_, i) => `chunk ${i}`);
    const sizes = toEmbeddingsRequest(req({ input })).batches.map((b) => b.requests.length);
    expect(sizes).toEqual([100, 100, 100, 100, 100, 12]);
  });

  it.each([
    ['token arrays', [[1820, 25977]], 'input'],
    ['a flat token array', [1820, 25977], 'input'],
    ['an empty string', '', 'input'],
    ['an empty array', [], 'input'],
    ['an empty string in the array', ['a', ''], 'input'],
  ])('rejects %s as input', (_, input, param) => {
    expect(() => toEmbeddingsRequest(req({ input: input as string[] }))).toThrow(
      expect.objectContaining({ status: 400, param }),
    );
  });

  it.each([
    ['no model', { model: '' }, 'model'],
    ['dimensions of zero', { dimensions: 0 }, 'dimensions'],
    ['an unknown encoding_format', { encoding_format: 'int8' as never }, 'encoding_format'],
  ])('rejects %s naming the field', (_, patch, param) => {
    expect(() => toEmbeddingsRequest(req(patch))).toThrow(
      expect.objectContaining({ status: 400, param }),
    );
  });
});

describe('toEmbeddingsResponse', () => {
  it('lists the vectors of every batch in input order', () => {
    const out = toEmbeddingsResponse(
      [answer([0.1, 0.2]), answer([0.3, 0.4])],
      req({ input: ['a', 'b'] }),
    );
    expect(out.data).toEqual([
      { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
      { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
    ]);
  });

  it('names the model as the client asked for it', () => {
    const out = toEmbeddingsResponse(
      [answer([0.5])],
      req({ model: 'models/gemini-embedding-001' }),
    );
    expect([out.object, out.model]).toEqual(['list', 'models/gemini-embedding-001']);
  });

  it('estimates usage at four characters per token, since Google reports none', () => {
    const out = toEmbeddingsResponse([answer([1], [1])], req({ input: ['12345678', '123'] }));
    expect(out.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  });

  it('encodes base64 as little-endian float32, which the openai SDK decodes', () => {
    const values = [0.5, -1.25, 3];
    const out = toEmbeddingsResponse([answer(values)], req({ encoding_format: 'base64' }));
    const bytes = Buffer.from(out.data[0].embedding as string, 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(values);
  });

  it('fails as an upstream error when Google returns fewer vectors than inputs', () => {
    expect(() => toEmbeddingsResponse([answer([1])], req({ input: ['a', 'b'] }))).toThrow(
      expect.objectContaining({ status: 502, kind: 'upstream' }),
    );
  });
});
