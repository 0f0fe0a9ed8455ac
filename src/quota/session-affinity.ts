import { RedisConnection } from '../state/redis-connection';

/** Where a conversation was served last, kept for SESSION_AFFINITY_TTL_S after its last turn. */
export interface AffinityStore {
  get(conversation: string): Promise<string | undefined>;
  set(conversation: string, credentialId: string): Promise<void>;
}

/** Conversations remembered by one process; past this the least recently served go first. */
export const MAX_CONVERSATIONS = 20_000;

export class InMemoryAffinityStore implements AffinityStore {
  private readonly entries = new Map<string, { credentialId: string; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(conversation: string): Promise<string | undefined> {
    const entry = this.entries.get(conversation);
    if (!entry || entry.until <= this.now()) return Promise.resolve(undefined);
    return Promise.resolve(entry.credentialId);
  }

  set(conversation: string, credentialId: string): Promise<void> {
    this.entries.delete(conversation);
    this.entries.set(conversation, { credentialId, until: this.now() + this.ttlMs });
    if (this.entries.size > MAX_CONVERSATIONS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return Promise.resolve();
  }
}

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
