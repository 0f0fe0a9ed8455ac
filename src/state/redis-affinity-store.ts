import { RedisConnection } from '../redis/redis-connection';
import { AffinityStore, InMemoryAffinityStore } from '../quota/session-affinity';

/** Shared by every replica: `affinity:{conversation}` → credential id, with the TTL. */
export class RedisAffinityStore implements AffinityStore {
  private readonly local: InMemoryAffinityStore;

  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlMs: number,
    now: () => number,
  ) {
    this.local = new InMemoryAffinityStore(ttlMs, now);
  }

  async get(conversation: string): Promise<string | undefined> {
    if (!this.redis.isUp) return this.local.get(conversation);
    try {
      return (await this.redis.client.get(this.key(conversation))) ?? undefined;
    } catch {
      return this.local.get(conversation);
    }
  }

  async set(conversation: string, credentialId: string): Promise<void> {
    await this.local.set(conversation, credentialId);
    if (!this.redis.isUp) return;
    await this.redis.client
      .set(this.key(conversation), credentialId, 'PX', this.ttlMs)
      .catch(() => undefined);
  }

  private key(conversation: string): string {
    return this.redis.key(`affinity:${conversation}`);
  }
}
