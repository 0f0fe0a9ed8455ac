import { RedisServer } from '../../test/support/redis-server';
import { waitFor } from '../../test/support/wait';
import { SharedToken } from '../credentials/token-coordinator';
import { RedisConnection } from '../redis/redis-connection';
import { RedisTokenCoordinator } from './redis-token-coordinator';

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

async function replicas(n: number, url = redis.url): Promise<RedisTokenCoordinator[]> {
  const keyPrefix = `tokens${++prefixes}:`;
  const out: RedisTokenCoordinator[] = [];
  for (let i = 0; i < n; i++) {
    const connection = new RedisConnection({ url, keyPrefix, replicaId: `r${i}` });
    connections.push(connection);
    out.push(new RedisTokenCoordinator(connection));
  }
  if (url === redis.url)
    await waitFor(() => connections.slice(-n).every((c) => c.isUp), 5_000, 'connections');
  return out;
}

const fresh = (t: SharedToken) => (t.expiryDate ?? 0) > Date.now() + 60_000;

describe('RedisTokenCoordinator', () => {
  it('lets one of several replicas refresh, and hands its token to the others', async () => {
    let calls = 0;
    const refresh = async (): Promise<SharedToken> => {
      calls++;
      await new Promise((r) => setTimeout(r, 100));
      return { accessToken: `ya29.token-${calls}`, expiryDate: Date.now() + 3_600_000 };
    };
    const coordinators = await replicas(3);
    const results = await Promise.all(
      coordinators.map((c) => c.refresh('ada/p', 'fp-1', fresh, refresh)),
    );
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.token.accessToken))).toEqual(new Set(['ya29.token-1']));
    expect(results.filter((r) => r.refreshed)).toHaveLength(1);
  });

  it('never hands over a token of another grant, or the very token Google just rejected', async () => {
    const [a, b] = await replicas(2);
    const issue = (accessToken: string) => () =>
      Promise.resolve({ accessToken, expiryDate: Date.now() + 3_600_000 });
    await a.refresh('ada/p', 'fp-old', fresh, issue('ya29.old-grant'));
    const otherGrant = await b.refresh('ada/p', 'fp-new', fresh, issue('ya29.new-grant'));
    expect(otherGrant).toMatchObject({ refreshed: true, token: { accessToken: 'ya29.new-grant' } });
    const afterRejection = await a.refresh(
      'ada/p',
      'fp-new',
      (t) => fresh(t) && t.accessToken !== 'ya29.new-grant',
      issue('ya29.newer'),
    );
    expect(afterRejection).toMatchObject({ refreshed: true, token: { accessToken: 'ya29.newer' } });
  });

  it('refreshes on its own, at once, when Redis does not answer', async () => {
    const [alone] = await replicas(1, 'redis://127.0.0.1:1');
    const started = Date.now();
    const result = await alone.refresh('ada/p', 'fp', fresh, () =>
      Promise.resolve({ accessToken: 'ya29.local', expiryDate: Date.now() + 3_600_000 }),
    );
    expect(result).toMatchObject({ refreshed: true, token: { accessToken: 'ya29.local' } });
    // No wait on Redis (its lock lasts 35 s): the bound only leaves room for a busy machine.
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
