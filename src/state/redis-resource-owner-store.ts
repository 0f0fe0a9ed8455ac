import {
  InMemoryResourceOwnerStore,
  ResourceOwnerStore,
  ResourceRecord,
} from '../files/resource-owner-store';
import { RedisConnection } from '../redis/redis-connection';

/**
 * Resource owners shared by every replica: `owner:{name}` holds the record until Google's expiry,
 * so a file uploaded through one replica is served by the same credential through another. Every
 * write also lands in the local store, which answers while Redis is away.
 */
export class RedisResourceOwnerStore implements ResourceOwnerStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly local: InMemoryResourceOwnerStore,
  ) {}

  async get(name: string): Promise<ResourceRecord | undefined> {
    if (!this.redis.isUp) return this.local.get(name);
    try {
      const raw = await this.redis.client.get(this.redis.key(`owner:${name}`));
      return raw ? (JSON.parse(raw) as ResourceRecord) : this.local.get(name);
    } catch {
      return this.local.get(name);
    }
  }

  async put(name: string, record: ResourceRecord, ttlMs: number): Promise<void> {
    await this.local.put(name, record, ttlMs);
    if (!this.redis.isUp) return;
    await this.redis.client
      .set(this.redis.key(`owner:${name}`), JSON.stringify(record), 'PX', Math.max(1, ttlMs))
      .catch(() => undefined);
  }

  async delete(name: string): Promise<void> {
    await this.local.delete(name);
    if (!this.redis.isUp) return;
    await this.redis.client.del(this.redis.key(`owner:${name}`)).catch(() => undefined);
  }
}
