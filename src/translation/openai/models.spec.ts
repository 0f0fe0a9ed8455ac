import { LIVE_MODELS } from '../../models/live-models.fixture';
import { withVariants } from '../../models/model-catalogue';
import { toOpenAIModel, toOpenAIModelList } from './models';

const LIVE = LIVE_MODELS;

describe('OpenAI model shapes', () => {
  it('turns a Google model into an OpenAI model without the models/ prefix', () => {
    expect(toOpenAIModel(LIVE[0])).toEqual({
      id: 'gemini-3.8-flash',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'google',
    });
  });

  it('wraps a list in OpenAI’s list envelope', () => {
    const list = toOpenAIModelList(withVariants([LIVE[0]]));
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m.id)).toEqual([
      'gemini-3.8-flash',
      'gemini-3.8-flash-search',
      'gemini-3.8-flash-nothinking',
    ]);
  });
});
