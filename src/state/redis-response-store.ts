import { Logger } from '@nestjs/common';
import type { InputItem, OutputItem } from '../translation/responses/responses-types';
import {
  indexItems,
  InMemoryResponseStore,
  itemsOf,
  ResponseStore,
  ResponseStoreStats,
  SizedResponse,
  StoredResponse,
} from '../responses/response-store';
import { RedisConnection } from '../redis/redis-connection';

/** NX: an item id keeps pointing at the response that stored it first. */
const INDEX_ITEMS = `
for _, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'PX', ARGV[2], 'NX')
end
return #KEYS`;
const INDEX_BATCH = 10_000;

/**
 * Stored `/v1/responses` shared by every replica: `resp:{id}` holds one turn's JSON and
 * `resp-item:{id}` names the response that first stored an item, both for RESPONSES_TTL_S.
 * Every write also lands in the bounded local store. A write Redis refuses (down, reconnecting,
 * full under `maxmemory` with `noeviction`) is logged once, counted, and kept locally as
 * unshared: this replica answers for it, and offers it to Redis again when Redis is back.
 */
export class RedisResponseStore implements ResponseStore {
  private readonly logger = new Logger('Responses');
  private failing = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly local: InMemoryResponseStore,
    private readonly ttlMs: number,
    private readonly onWriteFailure: () => void = () => undefined,
  ) {
    redis.onReady(() => void this.reshare());
  }

  async get(id: string): Promise<SizedResponse | undefined> {
    const unshared = await this.local.getUnshared(id);
    if (unshared) return unshared;
    if (!this.redis.isUp) return this.local.get(id);
    try {
      const raw = await this.redis.client.get(this.redis.key(`resp:${id}`));
      return raw ? { stored: JSON.parse(raw) as StoredResponse, bytes: raw.length } : undefined;
    } catch {
      return this.local.get(id);
    }
  }

  async put(stored: StoredResponse, chain: readonly string[] = []): Promise<void> {
    const id = stored.response.id;
    const json = JSON.stringify(stored);
    const itemIds = itemsOf(stored).flatMap((item) =>
      typeof item.id === 'string' ? [item.id] : [],
    );
    this.local.putJson(stored, json, chain, true);
    if (await this.share(id, json, itemIds, chain)) this.local.markShared(id);
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

  async findItems(ids: readonly string[]): Promise<Map<string, InputItem | OutputItem>> {
    const found = this.redis.isUp
      ? await this.findShared(ids).catch(() => new Map<string, InputItem | OutputItem>())
      : new Map<string, InputItem | OutputItem>();
    const rest = ids.filter((id) => !found.has(id));
    if (rest.length > 0)
      for (const [id, item] of await this.local.findItems(rest)) found.set(id, item);
    return found;
  }

  stats(): ResponseStoreStats {
    return this.local.stats();
  }

  onModuleDestroy(): void {
    this.local.onModuleDestroy();
  }

  /** Resolves ids with two round trips, whatever their number: owners, then each owner once. */
  private async findShared(ids: readonly string[]): Promise<Map<string, InputItem | OutputItem>> {
    const found = new Map<string, InputItem | OutputItem>();
    if (ids.length === 0) return found;
    const owners = await this.redis.client.mget(ids.map((id) => this.redis.key(`resp-item:${id}`)));
    const distinct = [...new Set(owners.filter((owner): owner is string => owner !== null))];
    if (distinct.length === 0) return found;
    const records = await this.redis.client.mget(distinct.map((o) => this.redis.key(`resp:${o}`)));
    const indexes = new Map<string, Map<string, InputItem | OutputItem>>();
    distinct.forEach((owner, i) => {
      const raw = records[i];
      if (raw) indexes.set(owner, indexItems(JSON.parse(raw) as StoredResponse));
    });
    ids.forEach((id, i) => {
      const owner = owners[i];
      const item = owner === null ? undefined : indexes.get(owner)?.get(id);
      if (item) found.set(id, item);
    });
    return found;
  }

  /** Writes one turn to Redis; false (logged once per episode, counted each time) when refused. */
  private async share(
    id: string,
    json: string,
    itemIds: readonly string[],
    chain: readonly string[],
  ): Promise<boolean> {
    try {
      if (!this.redis.isUp) throw new Error('Redis is unreachable');
      const pipeline = this.redis.client.pipeline();
      pipeline.set(this.redis.key(`resp:${id}`), json, 'PX', this.ttlMs);
      for (const earlier of chain) pipeline.pexpire(this.redis.key(`resp:${earlier}`), this.ttlMs);
      const results = await pipeline.exec();
      // A pipeline resolves even when Redis refuses its commands (OOM under noeviction).
      const refused =
        results === null ? new Error('pipeline discarded') : results.find(([e]) => e)?.[0];
      if (refused) throw refused;
      // One command however many items (a turn may hold 100,000): each sent alone, they
      // outlast the command timeout and hold the event loop while being encoded.
      for (let at = 0; at < itemIds.length; at += INDEX_BATCH) {
        const keys = itemIds
          .slice(at, at + INDEX_BATCH)
          .map((itemId) => this.redis.key(`resp-item:${itemId}`));
        // As one array: spread into arguments, 100,000 keys overflow the call stack.
        await this.redis.client.call('EVAL', [INDEX_ITEMS, keys.length, ...keys, id, this.ttlMs]);
      }
    } catch (error) {
      this.onWriteFailure();
      if (!this.failing) {
        this.failing = true;
        const reason = (error instanceof Error ? error.message : String(error)).slice(0, 200);
        this.logger.warn(
          `Redis refused a stored response (${reason}); keeping such responses on this replica ` +
            'only until Redis takes writes again',
        );
      }
      return false;
    }
    if (this.failing) {
      this.failing = false;
      this.logger.log('Redis takes stored responses again');
    }
    return true;
  }

  /** Offers Redis the turns it refused, so that every replica sees them again. */
  private async reshare(): Promise<void> {
    for (const { id, json, itemIds } of [...this.local.unsharedEntries()]) {
      if (await this.share(id, json, itemIds, [])) this.local.markShared(id);
      else if (!this.redis.isUp) return;
    }
  }
}
