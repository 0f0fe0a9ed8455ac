import { RedisServer } from '../../test/support/redis-server';
import { waitFor } from '../../test/support/wait';
import { InMemoryResponseStore, ResponseStore, StoredResponse } from '../responses/response-store';
import { responseSkeleton } from '../translation/responses/response-object';
import type { MessageItem } from '../translation/responses/responses-types';
import {
  InMemoryThoughtSignatureStore,
  ThoughtSignatureStore,
  toolCallIdsIn,
} from '../translation/thought-signature-store';
import { RedisConnection } from './redis-connection';
import { RedisResponseStore } from './redis-response-store';
import { RedisThoughtSignatureStore } from './redis-thought-signature-store';

let redis: RedisServer;
const connections: RedisConnection[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await redis.stop();
});

/** Two replicas' connections under one fresh prefix. */
async function replicas(): Promise<[RedisConnection, RedisConnection]> {
  const keyPrefix = `stores${++prefixes}:`;
  const pair = ['a', 'b'].map(
    (replicaId) => new RedisConnection({ url: redis.url, keyPrefix, replicaId }),
  ) as [RedisConnection, RedisConnection];
  connections.push(...pair);
  await waitFor(() => pair.every((c) => c.isUp), 5_000, 'both connections');
  return pair;
}

function stored(id: string): StoredResponse {
  const response = responseSkeleton({ model: 'gemini-2.5-flash' }, id, 0);
  const answer: MessageItem = {
    type: 'message',
    id: `msg_out_${id}`,
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: 'hi', annotations: [], logprobs: [] }],
  };
  response.output = [answer];
  const input = [{ type: 'message', id: `msg_in_${id}`, role: 'user', content: 'hello' }];
  return { response, input, context: input };
}

const local = () => new InMemoryResponseStore({ ttlMs: 60_000, maxEntries: 100, now: Date.now });

describe.each([
  ['in memory', () => Promise.resolve<ResponseStore>(local())],
  [
    'in Redis',
    async (): Promise<ResponseStore> =>
      new RedisResponseStore((await replicas())[0], local(), 60_000),
  ],
])('ResponseStore %s', (_name, make) => {
  it('returns a stored response and finds its items, until it is deleted', async () => {
    const store = await make();
    await store.put(stored('resp_a'));
    expect((await store.get('resp_a'))?.response.id).toBe('resp_a');
    expect(await store.findItem('msg_out_resp_a')).toMatchObject({ role: 'assistant' });
    expect(await store.delete('resp_a')).toBe(true);
    expect(await store.get('resp_a')).toBeUndefined();
    expect(await store.findItem('msg_out_resp_a')).toBeUndefined();
    expect(await store.delete('resp_a')).toBe(false);
  });
});

describe.each([
  ['in memory', () => Promise.resolve<ThoughtSignatureStore>(new InMemoryThoughtSignatureStore())],
  [
    'in Redis',
    async (): Promise<ThoughtSignatureStore> =>
      new RedisThoughtSignatureStore((await replicas())[0]),
  ],
])('ThoughtSignatureStore %s', (_name, make) => {
  it('returns a signature by call id at once, and nothing for an unknown id', async () => {
    const store = await make();
    store.set('call_1', 'c2lnbmF0dXJl');
    expect(store.get('call_1')).toBe('c2lnbmF0dXJl');
    expect(store.get('call_2')).toBeUndefined();
    await store.loadFor({ messages: [{ tool_calls: [{ id: 'call_2' }] }] });
    expect(store.get('call_2')).toBeUndefined();
  });
});

describe('the Redis stores across replicas', () => {
  it('answers on B a response stored through A, and expires it after RESPONSES_TTL_S', async () => {
    const [a, b] = await replicas();
    await new RedisResponseStore(a, local(), 60_000).put(stored('resp_x'));
    const onB = new RedisResponseStore(b, local(), 60_000);
    expect((await onB.get('resp_x'))?.response.id).toBe('resp_x');
    expect(await onB.findItem('msg_in_resp_x')).toMatchObject({ role: 'user' });
    const ttl = await b.client.pttl(b.key('resp:resp_x'));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('hands B a signature stored through A, by pub/sub or else by lookup before mapping', async () => {
    const [a, b] = await replicas();
    const onA = new RedisThoughtSignatureStore(a);
    const onB = new RedisThoughtSignatureStore(b);
    // Both subscriptions reach Redis first: a fixed pause is too short on a busy machine.
    await waitFor(
      async () => {
        const [, count] = (await b.client.call(
          'PUBSUB',
          'NUMSUB',
          b.key('sig:events'),
        )) as unknown[];
        return Number(count) === 2;
      },
      5_000,
      'the subscriptions',
    );
    onA.set('call_live', 'bGl2ZQ==');
    await waitFor(() => onB.get('call_live') === 'bGl2ZQ==', 2_000, 'the event');
    // A replica that was not listening (started later) looks the signature up instead.
    const late = new RedisThoughtSignatureStore(b);
    expect(late.get('call_live')).toBeUndefined();
    await late.loadFor({ input: [{ type: 'function_call', call_id: 'call_live' }] });
    expect(late.get('call_live')).toBe('bGl2ZQ==');
  });
});

describe('toolCallIdsIn', () => {
  it('finds the call ids of every dialect’s tool calls and results', () => {
    expect(
      toolCallIdsIn({
        messages: [
          { role: 'assistant', tool_calls: [{ id: 'call_openai', type: 'function' }] },
          { role: 'tool', tool_call_id: 'call_openai' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1' }] },
        ],
        input: [{ type: 'function_call', call_id: 'call_resp' }],
      }).sort(),
    ).toEqual(['call_openai', 'call_resp', 'toolu_1']);
  });
});
