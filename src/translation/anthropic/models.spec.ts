import type { GeminiModel } from '../../models/model-catalogue';
import { toAnthropicModel, toAnthropicModelList } from './models';

const models: GeminiModel[] = ['a', 'b', 'c', 'd'].map((id) => ({
  name: `models/${id}`,
  displayName: id.toUpperCase(),
  inputTokenLimit: 1000,
  outputTokenLimit: 100,
}));

describe('Anthropic models', () => {
  it('maps a Gemini model to ModelInfo', () => {
    expect(toAnthropicModel(models[0])).toEqual({
      type: 'model',
      id: 'a',
      display_name: 'A',
      created_at: '2025-06-17T00:00:00Z',
      max_input_tokens: 1000,
      max_tokens: 100,
    });
  });

  it.each([
    [{}, ['a', 'b', 'c', 'd'], false],
    [{ limit: 2 }, ['a', 'b'], true],
    [{ limit: 2, afterId: 'b' }, ['c', 'd'], false],
    [{ limit: 1, beforeId: 'c' }, ['b'], true],
    [{ limit: 5, beforeId: 'c' }, ['a', 'b'], false],
  ])('pages %j', (page, ids, hasMore) => {
    const list = toAnthropicModelList(models, page);
    expect(list.data.map((m) => m.id)).toEqual(ids);
    expect(list.has_more).toBe(hasMore);
    expect(list.first_id).toBe(ids[0]);
    expect(list.last_id).toBe(ids[ids.length - 1]);
  });
});
