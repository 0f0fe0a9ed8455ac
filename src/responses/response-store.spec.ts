import { responseSkeleton } from '../translation/responses/response-object';
import type { MessageItem } from '../translation/responses/responses-types';
import { InMemoryResponseStore, StoredResponse } from './response-store';

function stored(
  id: string,
  inputId = `msg_in_${id}`,
  outputId = `msg_out_${id}`,
  text = 'hello',
): StoredResponse {
  const response = responseSkeleton({ model: 'gemini-2.5-flash' }, id, 0);
  const answer: MessageItem = {
    type: 'message',
    id: outputId,
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: 'hi', annotations: [], logprobs: [] }],
  };
  response.output = [answer];
  return { response, input: [{ type: 'message', id: inputId, role: 'user', content: text }] };
}

const bytesOf = (s: StoredResponse) => JSON.stringify(s).length;

describe('InMemoryResponseStore', () => {
  let now = 0;
  const stores: InMemoryResponseStore[] = [];
  const store = (maxBytes = 1024 ** 2, sweepMs = 0) => {
    const s = new InMemoryResponseStore({ ttlMs: 1000, maxBytes, now: () => now, sweepMs });
    stores.push(s);
    return s;
  };

  beforeEach(() => (now = 0));
  afterEach(() => stores.splice(0).forEach((s) => s.onModuleDestroy()));

  it('returns a stored response, its size and its items by id', async () => {
    const s = store();
    await s.put(stored('resp_a'));
    const found = await s.get('resp_a');
    expect(found?.stored.response.id).toBe('resp_a');
    expect(found?.bytes).toBe(bytesOf(stored('resp_a')));
    const items = await s.findItems(['msg_in_resp_a', 'msg_out_resp_a', 'msg_nowhere']);
    expect(items.get('msg_in_resp_a')).toMatchObject({ role: 'user' });
    expect(items.get('msg_out_resp_a')).toMatchObject({ role: 'assistant' });
    expect(items.has('msg_nowhere')).toBe(false);
  });

  it('forgets a response, and its items, once the TTL has passed', async () => {
    const s = store();
    await s.put(stored('resp_a'));
    now = 999;
    expect(await s.get('resp_a')).toBeDefined();
    now = 1000;
    expect(await s.get('resp_a')).toBeUndefined();
    expect((await s.findItems(['msg_out_resp_a'])).size).toBe(0);
  });

  it('drops expired responses on its timer, without anyone reading them', async () => {
    const s = store(1024 ** 2, 10);
    await s.put(stored('resp_a'));
    now = 1000;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (s.stats().entries > 0) return;
        clearInterval(poll);
        resolve();
      }, 5);
    });
    expect(s.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('is bounded by the bytes of its records, dropping the oldest first', async () => {
    const big = (id: string) => stored(id, undefined, undefined, 'x'.repeat(10_000));
    const s = store(bytesOf(big('resp_1')) * 2 + 10);
    for (const id of ['resp_1', 'resp_2', 'resp_3']) await s.put(big(id));
    expect(s.stats().entries).toBe(2);
    expect(s.stats().bytes).toBeLessThanOrEqual(s.stats().maxBytes);
    expect(await s.get('resp_1')).toBeUndefined();
    expect((await s.findItems(['msg_in_resp_1'])).size).toBe(0);
    expect(await s.get('resp_3')).toBeDefined();
  });

  it('keeps the turns a new one continues, and refreshes their TTL', async () => {
    const size = bytesOf(stored('resp_1'));
    const s = store(size * 2 + 10);
    await s.put(stored('resp_1'));
    await s.put(stored('resp_2'));
    now = 900;
    // resp_3 continues resp_1: resp_2 is the one evicted, and resp_1 lives 1000 ms from now.
    await s.put(stored('resp_3'), ['resp_1']);
    expect(await s.get('resp_2')).toBeUndefined();
    now = 1500;
    expect(await s.get('resp_1')).toBeDefined();
  });

  it('deletes a response and says whether there was one', async () => {
    const s = store();
    await s.put(stored('resp_a'));
    expect(await s.delete('resp_a')).toBe(true);
    expect(await s.delete('resp_a')).toBe(false);
    expect((await s.findItems(['msg_in_resp_a'])).size).toBe(0);
  });

  it('resolves an item id to the response that stored it first, not a later one reusing it', async () => {
    const s = store();
    await s.put(stored('resp_a', 'msg_shared', undefined, 'from a'));
    await s.put(stored('resp_b', 'msg_shared', undefined, 'from b'));
    expect((await s.findItems(['msg_shared'])).get('msg_shared')).toMatchObject({
      content: 'from a',
    });
  });

  it('finds 1,000 items among 100,000 stored in one response without scanning per id', async () => {
    const s = store(64 * 1024 ** 2);
    const huge = stored('resp_huge');
    huge.input = Array.from({ length: 100_000 }, (_, i) => ({
      type: 'message',
      id: `msg_${i}`,
      role: 'user',
      content: 'x',
    }));
    await s.put(huge);
    const ids = Array.from({ length: 1_000 }, (_, i) => `msg_${i * 97}`);
    const started = Date.now();
    const found = await s.findItems(ids);
    expect(found.size).toBe(1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
