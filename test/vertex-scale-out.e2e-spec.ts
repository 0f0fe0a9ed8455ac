import { FakeGoogle } from './fake-google/fake-google';
import { JSON_AUTH } from './support/pool-harness';
import { ProxyProcess } from './support/proxy-process';
import { RedisServer } from './support/redis-server';
import { waitFor } from './support/wait';

const SA_EMAIL = 'shared-runner@vertex-proj.iam.gserviceaccount.com';

/** Two `node dist/main.js` replicas on one redis-server with one service account between them. */
describe('a service account shared by two replicas through Redis', () => {
  let redis: RedisServer;
  let fake: FakeGoogle;
  let a: ProxyProcess;
  let b: ProxyProcess;

  beforeAll(async () => {
    redis = await RedisServer.start();
    fake = await FakeGoogle.start({ latencyMs: 30 });
    const key = fake.createServiceAccount({ email: SA_EMAIL, projectId: 'vertex-proj' });
    const env = (replica: string) => ({
      ...fake.env(),
      REDIS_URL: redis.url,
      REPLICA_ID: replica,
      // The key as a CREDENTIALS_JSON_LIST entry: a stateless deployment's way to pass it.
      CREDENTIALS_JSON_LIST: JSON.stringify([key]),
    });
    [a, b] = await Promise.all([ProxyProcess.start(env('a')), ProxyProcess.start(env('b'))]);
    await waitFor(
      () => [a, b].every((p) => p.output.includes('Connected to Redis')),
      5_000,
      'both replicas to reach Redis',
    );
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await fake?.close();
    await redis?.stop();
  });

  it('makes one JWT bearer grant for a burst spread over both replicas', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${(i % 2 ? b : a).url}/v1/chat/completions`, {
          method: 'POST',
          headers: JSON_AUTH,
          body: JSON.stringify({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: `hi ${i}` }],
          }),
        }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array(10).fill(200));
    expect(fake.serviceAccountGrants(SA_EMAIL)).toBe(1);
  });
});
