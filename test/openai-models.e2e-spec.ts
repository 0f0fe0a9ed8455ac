import OpenAI, { NotFoundError } from 'openai';
import { useOpenAIPool } from './support/openai-sdk';

describe('OpenAI API through the openai SDK', () => {
  let openai: OpenAI;

  useOpenAIPool((pool) => ({ openai } = pool));

  describe('with an API-key pool', () => {
    describe('models', () => {
      it('lists the catalogue with the proxy’s variants', async () => {
        const ids: string[] = [];
        for await (const model of openai.models.list()) {
          expect(model.object).toBe('model');
          ids.push(model.id);
        }
        expect(ids).toEqual(
          expect.arrayContaining([
            'gemini-2.5-pro',
            'gemini-2.5-pro-search',
            'gemini-2.5-flash-nothinking',
          ]),
        );
        expect(ids.every((id) => !id.startsWith('models/'))).toBe(true);
      });

      it('gets one model', async () => {
        const model = await openai.models.retrieve('gemini-2.5-flash');
        expect(model).toMatchObject({
          id: 'gemini-2.5-flash',
          object: 'model',
          owned_by: 'google',
        });
      });

      it('gets a model by its Google name', async () => {
        expect((await openai.models.retrieve('models/gemini-2.5-flash')).id).toBe(
          'gemini-2.5-flash',
        );
      });

      it('gets a variant', async () => {
        expect((await openai.models.retrieve('gemini-2.5-pro-search')).id).toBe(
          'gemini-2.5-pro-search',
        );
      });

      it('answers NotFoundError for an unknown model', async () => {
        await expect(openai.models.retrieve('gpt-17')).rejects.toBeInstanceOf(NotFoundError);
      });
    });
  });
});
