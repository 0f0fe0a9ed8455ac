import { responseSkeleton } from '../translation/responses/response-object';
import { chainMedia, loadChain, MAX_CHAIN_TURNS, resolveReferences } from './response-chain';
import { InMemoryResponseStore, StoredResponse } from './response-store';

const limits = { maxBytes: 64 * 1024 ** 2, maxBytesName: 'BODY_LIMIT (64mb)' };

function turn(n: number, text = `turn ${n}`, itemId = `msg_${n}`): StoredResponse {
  const response = responseSkeleton(
    { model: 'gemini-2.5-flash', previous_response_id: n > 1 ? `resp_${n - 1}` : null },
    `resp_${n}`,
    0,
  );
  return { response, input: [{ type: 'message', id: itemId, role: 'user', content: text }] };
}

describe('response chains', () => {
  let store: InMemoryResponseStore;

  beforeEach(() => {
    store = new InMemoryResponseStore({
      ttlMs: 60_000,
      maxBytes: 256 * 1024 ** 2,
      now: () => 0,
      sweepMs: 0,
    });
  });

  it('rebuilds a conversation oldest first, and lists its ids newest first', async () => {
    for (let n = 1; n <= 3; n++) await store.put(turn(n));
    const chain = await loadChain(store, 'resp_3', limits);
    expect(chain.ids).toEqual(['resp_3', 'resp_2', 'resp_1']);
    expect(chain.turns.map((t) => t.input[0].content)).toEqual(['turn 1', 'turn 2', 'turn 3']);
  });

  it(`refuses a chain of more than ${MAX_CHAIN_TURNS} turns with a 400 naming the limit`, async () => {
    for (let n = 1; n <= MAX_CHAIN_TURNS + 1; n++) await store.put(turn(n));
    await expect(loadChain(store, `resp_${MAX_CHAIN_TURNS}`, limits)).resolves.toBeDefined();
    await expect(loadChain(store, `resp_${MAX_CHAIN_TURNS + 1}`, limits)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining(`more than ${MAX_CHAIN_TURNS} stored responses`),
    });
  });

  it('answers 404 for an unknown id, and names the earlier turn that is gone', async () => {
    for (let n = 1; n <= 3; n++) await store.put(turn(n));
    await store.delete('resp_2');
    await expect(loadChain(store, 'resp_9', limits)).rejects.toMatchObject({ status: 404 });
    await expect(loadChain(store, 'resp_3', limits)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining("'resp_2', an earlier turn of 'resp_3'"),
    });
  });

  it('resolves a reference within the chain first, even when another response stored the id earlier', async () => {
    await store.put({
      ...turn(7, 'elsewhere', 'shared_id'),
      response: responseSkeleton({ model: 'm' }, 'resp_other', 0),
    });
    await store.put(turn(1, 'in the chain', 'shared_id'));
    const chain = await loadChain(store, 'resp_1', limits);
    const [resolved] = await resolveReferences(
      store,
      [{ type: 'item_reference', id: 'shared_id' }],
      chain,
    );
    expect(resolved.content).toBe('in the chain');
    const [outside] = await resolveReferences(
      store,
      [{ type: 'item_reference', id: 'shared_id' }],
      { ids: [], turns: [] },
    );
    expect(outside.content).toBe('elsewhere');
  });

  it('gathers the media earlier turns fetched, by URL', async () => {
    const first = turn(1);
    first.media = { 'https://example.com/cat.png': { mimeType: 'image/png', data: 'Y2F0' } };
    await store.put(first);
    await store.put(turn(2));
    const media = chainMedia(await loadChain(store, 'resp_2', limits));
    expect(media.get('https://example.com/cat.png')).toEqual({
      mimeType: 'image/png',
      data: 'Y2F0',
    });
  });
});
