import OpenAI from 'openai';
import type { FakeGoogle } from './fake-google/fake-google';
import { Body } from './support/model-calls';
import { useOpenAIPool } from './support/openai-sdk';
import { RunningProxy, TEST_PASSWORD } from './support/proxy';

describe('OpenAI API through the openai SDK', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let openai: OpenAI;

  useOpenAIPool((pool) => ({ fake, proxy, openai } = pool));

  describe('with an API-key pool', () => {
    describe('embeddings', () => {
      it('embeds several inputs as floats', async () => {
        const res = await openai.embeddings.create({
          model: 'gemini-embedding-001',
          input: ['first text', 'second text'],
          encoding_format: 'float',
          dimensions: 6,
        });
        expect(res.object).toBe('list');
        expect(res.model).toBe('gemini-embedding-001');
        expect(res.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
          ['embedding', 0, 6],
          ['embedding', 1, 6],
        ]);
        const batch = fake.requests.find((r) => r.action === 'batchEmbedContents')!;
        expect(batch.model).toBe('gemini-embedding-001');
        expect((batch.body as Body).requests).toEqual([
          expect.objectContaining({
            content: { parts: [{ text: 'first text' }] },
            outputDimensionality: 6,
          }),
          expect.objectContaining({
            content: { parts: [{ text: 'second text' }] },
            outputDimensionality: 6,
          }),
        ]);
      });

      it('sends base64 by default, which the SDK decodes to the same floats', async () => {
        const asFloat = await openai.embeddings.create({
          model: 'gemini-embedding-001',
          input: 'same text',
          encoding_format: 'float',
        });
        const byDefault = await openai.embeddings.create({
          model: 'gemini-embedding-001',
          input: 'same text',
        });
        expect(byDefault.data).toHaveLength(1);
        const decoded = byDefault.data[0].embedding;
        expect(decoded).toHaveLength(asFloat.data[0].embedding.length);
        decoded.forEach((v, i) => expect(v).toBeCloseTo(asFloat.data[0].embedding[i], 6));
      });

      it('returns base64 strings when asked explicitly', async () => {
        const res = await fetch(`${proxy.url}/v1/embeddings`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gemini-embedding-001',
            input: 'x',
            encoding_format: 'base64',
            dimensions: 4,
          }),
        });
        const body = (await res.json()) as { data: { embedding: string }[] };
        expect(typeof body.data[0].embedding).toBe('string');
        expect(Buffer.from(body.data[0].embedding, 'base64').byteLength).toBe(4 * 4);
      });
    });
  });
});
