import { RedisServer } from '../../test/support/redis-server';
import { waitFor } from '../../test/support/wait';
import { chainItems, loadChain } from '../responses/response-chain';
import { InMemoryResponseStore, ResponseStore, StoredResponse } from '../responses/response-store';
import { responseSkeleton } from '../translation/responses/response-object';
import type { MessageItem } from '../translation/responses/responses-types';
import {
  InMemoryThoughtSignatureStore,
  ThoughtSignatureStore,
  toolCallIdsIn,
} from '../translation/common/thought-signature-store';
import { RedisConnection } from '../redis/redis-connection';
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
  return { response, input };
}

const localStores: InMemoryResponseStore[] = [];
const local = () => {
  const store = new InMemoryResponseStore({
    ttlMs: 60_000,
    maxBytes: 64 * 1024 ** 2,
    now: Date.now,
  });
  localStores.push(store);
  return store;
};
afterAll(() => localStores.forEach((store) => store.onModuleDestroy()));

/** Turn `n` of a chain: a 1 KB question continuing turn `n - 1`. */
function turn(n: number): StoredResponse {
  const turnStored = stored(`resp_t${n}`);
  turnStored.response.previous_response_id = n > 1 ? `resp_t${n - 1}` : null;
  turnStored.input = [
    { type: 'message', id: `msg_in_t${n}`, role: 'user', content: 'q'.repeat(1024) },
  ];
  return turnStored;
}

const limits = { maxBytes: 64 * 1024 ** 2, maxBytesName: 'BODY_LIMIT' };

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
    expect((await store.get('resp_a'))?.stored.response.id).toBe('resp_a');
    expect((await store.findItems(['msg_out_resp_a'])).get('msg_out_resp_a')).toMatchObject({
      role: 'assistant',
    });
    expect(await store.delete('resp_a')).toBe(true);
    expect(await store.get('resp_a')).toBeUndefined();
    expect((await store.findItems(['msg_out_resp_a'])).size).toBe(0);
    expect(await store.delete('resp_a')).toBe(false);
  });

  it('stores each turn of a chain at the size of that turn alone, and rebuilds it by its links', async () => {
    const store = await make();
    const turns = 400;
    let previous: string[] = [];
    for (let n = 1; n <= turns; n++) {
      await store.put(turn(n), previous);
      previous = [`resp_t${n}`, ...previous];
    }
    const first = (await store.get('resp_t2'))?.bytes ?? 0;
    const last = (await store.get(`resp_t${turns}`))?.bytes ?? Infinity;
    expect(first).toBeGreaterThan(1024);
    expect(Math.abs(last - first)).toBeLessThan(16);
    const chain = await loadChain(store, `resp_t${turns}`, limits);
    expect(chain.turns).toHaveLength(turns);
    expect(
      chainItems(chain)
        .map((item) => item.id)
        .slice(0, 3),
    ).toEqual(['msg_in_t1', 'msg_out_resp_t1', 'msg_in_t2']);
  });

  it('refuses a chain past its byte bound with a 400 naming the bound', async () => {
    const store = await make();
    await store.put(turn(1));
    await store.put(turn(2));
    await expect(
      loadChain(store, 'resp_t2', { maxBytes: 2_000, maxBytesName: 'BODY_LIMIT (2kb)' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/BODY_LIMIT \(2kb\)/) });
  });

  it('keeps an item id pointing at the response that stored it first', async () => {
    const store = await make();
    const a = stored('resp_first');
    a.input = [{ type: 'message', id: 'client_id', role: 'user', content: 'first' }];
    const b = stored('resp_second');
    b.input = [{ type: 'message', id: 'client_id', role: 'user', content: 'second' }];
    await store.put(a);
    await store.put(b);
    expect((await store.findItems(['client_id'])).get('client_id')).toMatchObject({
      content: 'first',
    });
  });
});

describe('the Redis response store when Redis refuses writes', () => {
  let own: RedisServer;

  beforeAll(async () => {
    own = await RedisServer.start();
  });

  afterAll(async () => {
    await own.stop();
  });

  async function connected(keyPrefix: string): Promise<RedisConnection> {
    const connection = new RedisConnection({ url: own.url, keyPrefix, replicaId: 'a' });
    connections.push(connection);
    await waitFor(() => connection.isUp, 5_000, 'the connection');
    return connection;
  }

  it('keeps and serves what it stored while Redis is full (maxmemory, noeviction), and counts it', async () => {
    const connection = await connected('full:');
    let failures = 0;
    const store = new RedisResponseStore(connection, local(), 60_000, () => failures++);
    await connection.client.config('SET', 'maxmemory-policy', 'noeviction');
    await connection.client.config('SET', 'maxmemory', '1');
    try {
      for (let n = 1; n <= 20; n++) await store.put(turn(n), n > 1 ? [`resp_t${n - 1}`] : []);
      expect(failures).toBe(20);
      expect(await connection.client.exists(connection.key('resp:resp_t1'))).toBe(0);
      expect((await store.get('resp_t20'))?.stored.response.id).toBe('resp_t20');
      expect((await loadChain(store, 'resp_t20', limits)).turns).toHaveLength(20);
      expect((await store.findItems(['msg_in_t3'])).size).toBe(1);
      expect(store.stats().unshared).toBe(20);
    } finally {
      await connection.client.config('SET', 'maxmemory', '0');
    }
  });

  it('serves what it stored while Redis was down, and hands it to Redis when Redis is back', async () => {
    const connection = await connected('down:');
    let failures = 0;
    const store = new RedisResponseStore(connection, local(), 60_000, () => failures++);
    await own.stop();
    await waitFor(() => !connection.isUp, 5_000, 'the connection to drop');
    await store.put(stored('resp_outage'));
    expect(failures).toBe(1);
    expect((await store.get('resp_outage'))?.stored.response.id).toBe('resp_outage');
    await own.restart();
    await waitFor(() => connection.isUp, 10_000, 'the connection to return');
    expect((await store.get('resp_outage'))?.stored.response.id).toBe('resp_outage');
    await waitFor(
      async () => (await connection.client.exists(connection.key('resp:resp_outage'))) === 1,
      5_000,
      'the response to reach Redis',
    );
    expect(store.stats().unshared).toBe(0);
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
    expect((await onB.get('resp_x'))?.stored.response.id).toBe('resp_x');
    expect((await onB.findItems(['msg_in_resp_x'])).get('msg_in_resp_x')).toMatchObject({
      role: 'user',
    });
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
