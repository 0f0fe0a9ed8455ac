import { responseSkeleton } from '../translation/responses/response-object';
import type { MessageItem } from '../translation/responses/responses-types';
import { InMemoryResponseStore, StoredResponse } from './response-store';

function stored(id: string, inputId = `msg_in_${id}`, outputId = `msg_out_${id}`): StoredResponse {
  const response = responseSkeleton({ model: 'gemini-2.5-flash' }, id, 0);
  const answer: MessageItem = {
    type: 'message',
    id: outputId,
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: 'hi', annotations: [], logprobs: [] }],
  };
  response.output = [answer];
  const input = [{ type: 'message', id: inputId, role: 'user', content: 'hello' }];
  return { response, input, context: input };
}

describe('InMemoryResponseStore', () => {
  let now = 0;
  const store = (maxEntries = 10) =>
    new InMemoryResponseStore({ ttlMs: 1000, maxEntries, now: () => now });

  beforeEach(() => (now = 0));

  it('returns a stored response and its items by id', async () => {
    const s = store();
    await s.put(stored('resp_a'));
    expect((await s.get('resp_a'))?.response.id).toBe('resp_a');
    expect(await s.findItem('msg_in_resp_a')).toMatchObject({ role: 'user' });
    expect(await s.findItem('msg_out_resp_a')).toMatchObject({ role: 'assistant' });
  });

  it('forgets a response, and its items, once the TTL has passed', async () => {
    const s = store();
    await s.put(stored('resp_a'));
    now = 999;
    expect(await s.get('resp_a')).toBeDefined();
    now = 1000;
    expect(await s.get('resp_a')).toBeUndefined();
    expect(await s.findItem('msg_out_resp_a')).toBeUndefined();
  });

  it('drops the oldest response past its size bound', async () => {
    const s = store(2);
    for (const id of ['resp_1', 'resp_2', 'resp_3']) await s.put(stored(id));
    expect(s.size).toBe(2);
    expect(await s.get('resp_1')).toBeUndefined();
    expect(await s.findItem('msg_in_resp_1')).toBeUndefined();
    expect(await s.get('resp_3')).toBeDefined();
  });

  it('deletes a response and says whether there was one', async () => {
    const s = store();
    await s.put(stored('resp_a'));
    expect(await s.delete('resp_a')).toBe(true);
    expect(await s.delete('resp_a')).toBe(false);
    expect(await s.findItem('msg_in_resp_a')).toBeUndefined();
  });

  it('keeps an item found under the response that stored it last', async () => {
    const s = store();
    await s.put(stored('resp_a', 'msg_shared'));
    await s.put(stored('resp_b', 'msg_shared'));
    await s.delete('resp_a');
    expect(await s.findItem('msg_shared')).toBeDefined();
  });
});
