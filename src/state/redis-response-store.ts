import type { InputItem, OutputItem } from '../translation/responses/responses-types';
import { InMemoryResponseStore, ResponseStore, StoredResponse } from '../responses/response-store';
import { RedisConnection } from './redis-connection';

/**
 * Stored `/v1/responses` shared by every replica: `resp:{id}` holds the JSON and `resp-item:{id}`
 * names the response holding an item, both for RESPONSES_TTL_S. Every write also lands in a
 * bounded local store, which answers while Redis is away (a replica then serves what it stored
 * itself, as a single process would).
 */
export class RedisResponseStore implements ResponseStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly local: InMemoryResponseStore,
    private readonly ttlMs: number,
  ) {}

  async get(id: string): Promise<StoredResponse | undefined> {
    if (!this.redis.isUp) return this.local.get(id);
    try {
      const raw = await this.redis.client.get(this.redis.key(`resp:${id}`));
      return raw ? (JSON.parse(raw) as StoredResponse) : undefined;
    } catch {
      return this.local.get(id);
    }
  }

  async put(stored: StoredResponse): Promise<void> {
    await this.local.put(stored);
    if (!this.redis.isUp) return;
    const id = stored.response.id;
    const pipeline = this.redis.client.pipeline();
    pipeline.set(this.redis.key(`resp:${id}`), JSON.stringify(stored), 'PX', this.ttlMs);
    for (const item of [...stored.input, ...stored.response.output]) {
      if (typeof item.id === 'string')
        pipeline.set(this.redis.key(`resp-item:${item.id}`), id, 'PX', this.ttlMs);
    }
    await pipeline.exec().catch(() => undefined);
  }

  async delete(id: string): Promise<boolean> {
    const local = await this.local.delete(id);
    if (!this.redis.isUp) return local;
    try {
      return (await this.redis.client.del(this.redis.key(`resp:${id}`))) > 0 || local;
    } catch {
      return local;
    }
  }

  async findItem(id: string): Promise<InputItem | OutputItem | undefined> {
    if (!this.redis.isUp) return this.local.findItem(id);
    try {
      const owner = await this.redis.client.get(this.redis.key(`resp-item:${id}`));
      const stored = owner ? await this.get(owner) : undefined;
      return stored && [...stored.input, ...stored.response.output].find((item) => item.id === id);
    } catch {
      return this.local.findItem(id);
    }
  }
}
