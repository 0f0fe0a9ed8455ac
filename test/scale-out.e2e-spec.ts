import { connect } from 'node:net';
import { FakeGoogle } from './fake-google/fake-google';
import { permissionDenied, rateLimited } from './fake-google/google-errors';
import type { RecordedRequest } from './fake-google/types';
import { AUTH, JSON_AUTH } from './support/pool-harness';
import { ProxyProcess } from './support/proxy-process';
import { freePort, RedisServer } from './support/redis-server';
import { waitFor } from './support/wait';

const ACCOUNTS = ['ada', 'bob'].map((name) => ({
  email: `${name}@example.com`,
  refreshToken: `1//rt-scale-${name}-SECRET`,
  projectId: `proj-${name}`,
}));
const MODEL = 'gemini-2.5-flash';

/** What a model call of the fake was made with: the account's email. */
const modelCalls = (fake: FakeGoogle): RecordedRequest[] =>
  fake.requests.filter(
    (r) => r.action === 'generateContent' || r.action === 'streamGenerateContent',
  );

function chat(replica: ProxyProcess, body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
}

async function credentials(replica: ProxyProcess) {
  const res = await fetch(`${replica.url}/admin/credentials`, { headers: AUTH });
  return (await res.json()) as {
    replica: { id: string; sharedState: string };
    credentials: {
      id: string;
      email: string;
      state: string;
      disabled: { reason: string } | null;
    }[];
  };
}

/** One command over a bare socket (the inline protocol): its first reply line. */
function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${args.join(' ')}\r\n`));
    socket.setEncoding('utf8');
    socket.once('data', (reply: string) => {
      socket.destroy();
      resolve(reply.split('\r\n')[0]);
    });
    socket.once('error', reject);
  });
}

/**
 * Two `node dist/main.js` replicas on one redis-server and the fake Google: what one learns, the
 * other honours. The tests run in order on the same processes (the first needs fresh tokens).
 */
describe('two replicas sharing one pool through Redis', () => {
  let redis: RedisServer;
  let fake: FakeGoogle;
  let a: ProxyProcess;
  let b: ProxyProcess;

  beforeAll(async () => {
    redis = await RedisServer.start();
    fake = await FakeGoogle.start({ latencyMs: 30 });
    for (const account of ACCOUNTS) fake.addOAuthAccount(account);
    const env = (replica: string) => ({
      ...fake.env(),
      REDIS_URL: redis.url,
      REPLICA_ID: replica,
      CREDENTIALS_JSON_LIST: JSON.stringify(
        ACCOUNTS.map((acc) => ({
          client_id: 'client-id',
          client_secret: 'client-secret',
          refresh_token: acc.refreshToken,
          project_id: acc.projectId,
          user_email: acc.email,
        })),
      ),
    });
    [a, b] = await Promise.all([ProxyProcess.start(env('a')), ProxyProcess.start(env('b'))]);
    await waitFor(
      () => [a, b].every((p) => p.output.includes('Connected to Redis')),
      5_000,
      'both replicas to reach Redis',
    );
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await fake?.close();
    await redis?.stop();
  });

  it('refreshes each expired token once for a burst spread over both replicas', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => chat(i % 2 ? b : a).then((r) => r.status)),
    );
    expect(answers).toEqual(Array(12).fill(200));
    for (const account of ACCOUNTS) expect(fake.tokenRefreshes(account.refreshToken)).toBe(1);
  });

  it('spreads round-robin over both replicas: consecutive requests alternate accounts', async () => {
    for (let i = 0; i < 8; i++) expect((await chat(i % 2 ? b : a)).status).toBe(200);
    const used = modelCalls(fake).map((r) => r.credential);
    expect(used.filter((c) => c === ACCOUNTS[0].email)).toHaveLength(4);
    expect(used.filter((c) => c === ACCOUNTS[1].email)).toHaveLength(4);
    for (let i = 1; i < used.length; i++) expect(used[i]).not.toBe(used[i - 1]);
  });

  it('honours on B a cooldown that A learned', async () => {
    fake.failNext(rateLimited(120), { times: 1 });
    expect((await chat(a)).status).toBe(200);
    const limited = modelCalls(fake)[0].credential;
    await waitFor(
      async () =>
        (await credentials(b)).credentials.find((c) => c.email === limited)?.state === 'cooling',
      2_000,
      'B to show the cooldown',
    );
    fake.reset();
    for (let i = 0; i < 4; i++) expect((await chat(b)).status).toBe(200);
    expect(modelCalls(fake).map((r) => r.credential)).not.toContain(limited);
  });

  it('avoids on B an account disabled through A, shows why, and re-enables it everywhere', async () => {
    const before = await credentials(a);
    for (const c of before.credentials) {
      await fetch(`${a.url}/admin/credentials/${encodeURIComponent(c.id)}/enable`, {
        method: 'POST',
        headers: AUTH,
      });
    }
    fake.failNext(permissionDenied('SUBSCRIPTION_REQUIRED'), { times: 1 });
    expect((await chat(a)).status).toBe(200);
    const refused = modelCalls(fake)[0].credential;
    let onB: Awaited<ReturnType<typeof credentials>> | undefined;
    await waitFor(
      async () => {
        onB = await credentials(b);
        return onB.credentials.some((c) => c.email === refused && c.state === 'disabled');
      },
      2_000,
      'B to show the disabled account',
    );
    expect(onB!.replica).toEqual({ id: 'b', sharedState: 'redis' });
    const entry = onB!.credentials.find((c) => c.email === refused)!;
    expect(entry.disabled?.reason).toBe('SUBSCRIPTION_REQUIRED');
    fake.reset();
    for (let i = 0; i < 3; i++) expect((await chat(b)).status).toBe(200);
    expect(modelCalls(fake).map((r) => r.credential)).not.toContain(refused);

    await fetch(`${b.url}/admin/credentials/${encodeURIComponent(entry.id)}/enable`, {
      method: 'POST',
      headers: AUTH,
    });
    await waitFor(
      async () => (await credentials(a)).credentials.every((c) => c.state === 'ok'),
      2_000,
      'A to see the re-enable',
    );
  });

  it('restores on B the Gemini 3 thought signature of a tool call answered through A', async () => {
    const tools = [
      {
        type: 'function',
        function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
      },
    ];
    fake.enqueue({
      response: {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: { name: 'get_weather', args: {} },
                  thoughtSignature: 'c2lnLXNjYWxl',
                },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      },
    });
    const first = (await (await chat(a, { model: 'gemini-3-pro-preview', tools })).json()) as {
      choices: { message: { tool_calls: { id: string; function: unknown }[] } }[];
    };
    // Only what every OpenAI client keeps: the id and the function, no echoed signature.
    const { id, function: fn } = first.choices[0].message.tool_calls[0];
    const call = { id, type: 'function', function: fn };
    // A shares the signature just after answering; a client's next turn comes after its tool ran,
    // not the instant the answer lands as here, so wait for Redis to hold it (as a busy machine may
    // take longer than B's lookup allows).
    await waitFor(
      async () => (await redisCommand(redis.port, 'EXISTS', `gemini-proxy:sig:${id}`)) === ':1',
      5_000,
      'A to share the signature',
    );
    fake.reset();
    const second = await chat(b, {
      model: 'gemini-3-pro-preview',
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'sunny' },
      ],
    });
    expect(second.status).toBe(200);
    expect(JSON.stringify(modelCalls(fake)[0].body)).toContain('"thoughtSignature":"c2lnLXNjYWxl"');
  });

  it('keeps both replicas serving while Redis is down, and shares again once it is back', async () => {
    await redis.stop();
    await waitFor(
      () => [a, b].every((p) => p.output.includes('is unreachable')),
      5_000,
      'both replicas to notice',
    );
    for (const replica of [a, b, a, b]) expect((await chat(replica)).status).toBe(200);
    expect((await credentials(a)).replica.sharedState).toBe('redis-unreachable');
    const metrics = await (await fetch(`${b.url}/metrics`, { headers: AUTH })).text();
    expect(metrics).toMatch(/^gemini_proxy_redis_up 0$/m);

    await redis.restart();
    await waitFor(
      () => [a, b].every((p) => p.output.includes('Redis is back')),
      8_000,
      'both replicas to rejoin',
    );
    fake.reset();
    fake.failNext(rateLimited(120), { times: 1 });
    expect((await chat(a)).status).toBe(200);
    const limited = modelCalls(fake)[0].credential;
    await waitFor(
      async () =>
        (await credentials(b)).credentials.find((c) => c.email === limited)?.state === 'cooling',
      3_000,
      'B to learn the new cooldown',
    );
    // Logged once per outage, not per request.
    expect(a.output.match(/is unreachable/g)).toHaveLength(1);
    expect(a.output).not.toContain('SECRET');
  });
});

describe('a REDIS_URL that never answers', () => {
  it('does not stop start-up: the replica serves on local state and says so once, without the password', async () => {
    const fake = await FakeGoogle.start();
    const key = 'AIzaScaleOutUnreachableKeyAAAAAAAAAAAAAA';
    fake.addApiKey(key);
    const port = await freePort();
    const replica = await ProxyProcess.start({
      ...fake.env(),
      GEMINI_API_KEYS: key,
      // The form ioredis takes as an option, which logs used to quote whole.
      REDIS_URL: `redis://127.0.0.1:${port}/0?password=hunter2-redis-pass`,
    });
    try {
      for (let i = 0; i < 3; i++) expect((await chat(replica)).status).toBe(200);
      expect((await credentials(replica)).replica.sharedState).toBe('redis-unreachable');
      expect(replica.output.match(/is unreachable/g)).toHaveLength(1);
      expect(replica.output).toContain(`Redis at redis://127.0.0.1:${port}/0 is unreachable`);
      expect(replica.output).not.toContain('hunter2');
    } finally {
      await replica.stop();
      await fake.close();
    }
  });
});
