import { parseLimitTable } from '../../config/quota-limits';
import { ApiKeySource } from './api-key-source';

const LIMITS = parseLimitTable({ 'gemini-2.5-flash': { rpm: 5, rpd: 20 } });

describe('ApiKeySource', () => {
  it.each([
    ['a plain key', { key: 'AIza-plain-00001' }, { kind: 'api-key', id: 'key...00001' }],
    [
      'a key with its proxy, limits and project',
      {
        key: 'AIza-object-00002',
        proxy: 'http://proxy.internal:3128',
        limits: LIMITS,
        project: 'shared-project',
      },
      {
        kind: 'api-key',
        id: 'key...00002',
        apiKey: 'AIza-object-00002',
        proxy: 'http://proxy.internal:3128',
        limits: LIMITS,
        project: 'shared-project',
      },
    ],
  ])('reads %s from GEMINI_API_KEYS', async (_, entry, expected) => {
    const [loaded] = await new ApiKeySource({ geminiKeys: [entry], vertexKeys: [] }).load();
    expect(loaded.credential).toMatchObject(expected);
  });

  it('leaves proxy, limits and project off a key that declares none', async () => {
    const [loaded] = await new ApiKeySource({
      geminiKeys: [{ key: 'AIza-plain-00001' }],
      vertexKeys: [],
    }).load();
    expect(Object.keys(loaded.credential).sort()).toEqual(['apiKey', 'id', 'kind']);
  });

  it('puts Gemini keys before VERTEX_API_KEYS, as express-mode credentials', async () => {
    const loaded = await new ApiKeySource({
      geminiKeys: [{ key: 'AIza-gemini-11111' }],
      vertexKeys: ['AQ.vertex-22222'],
    }).load();
    expect(loaded.map(({ credential }) => credential)).toMatchObject([
      { kind: 'api-key', id: 'key...11111' },
      { kind: 'vertex', mode: 'express', location: 'global' },
    ]);
  });
});
