import {
  InMemoryThoughtSignatureStore,
  ThoughtSignatureStore,
  toolCallIdsIn,
} from '../translation/common/thought-signature-store';
import { RedisConnection } from '../redis/redis-connection';

/** A conversation that pauses longer than this replays its tool calls without their signature. */
export const SIGNATURE_TTL_MS = 24 * 3600_000;
/** How long a mapping may wait for signatures another replica stored before going on without. */
// Only paid when a replayed call is missing here and Redis is slow: a busy replica needs more than 50 ms.
export const SIGNATURE_LOOKUP_TIMEOUT_MS = 250;

/**
 * Signatures shared by every replica: each one goes to Redis (`sig:{call id}`, SIGNATURE_TTL_MS)
 * and over pub/sub into the other replicas' local LRU, so that `get` stays a local read. A
 * replica that was away when a signature was stored finds it with `loadFor` before mapping.
 */
export class RedisThoughtSignatureStore implements ThoughtSignatureStore {
  private readonly local: InMemoryThoughtSignatureStore;
  private readonly channel: string;

  constructor(
    private readonly redis: RedisConnection,
    maxEntries?: number,
  ) {
    this.local = new InMemoryThoughtSignatureStore(maxEntries);
    this.channel = redis.key('sig:events');
    redis.subscribe(this.channel, (message) => this.onEvent(message));
  }

  get(callId: string): string | undefined {
    return this.local.get(callId);
  }

  set(callId: string, signature: string): void {
    this.local.set(callId, signature);
    if (!this.redis.isUp) return;
    const message = JSON.stringify({ o: this.redis.instanceId, id: callId, s: signature });
    this.redis.client
      .set(this.redis.key(`sig:${callId}`), signature, 'PX', SIGNATURE_TTL_MS)
      .catch(() => undefined);
    this.redis.client.publish(this.channel, message).catch(() => undefined);
  }

  /** Fetches the signatures of the request's calls that this replica lacks, waiting a moment at most. */
  async loadFor(request: unknown): Promise<void> {
    if (!this.redis.isUp) return;
    const missing = toolCallIdsIn(request).filter((id) => this.local.get(id) === undefined);
    if (missing.length === 0 || !this.redis.isUp) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, SIGNATURE_LOOKUP_TIMEOUT_MS, undefined);
    });
    const found = await Promise.race([
      this.redis.client
        .mget(missing.map((id) => this.redis.key(`sig:${id}`)))
        .catch(() => undefined),
      timeout,
    ]);
    clearTimeout(timer);
    found?.forEach((signature, i) => {
      if (signature) this.local.set(missing[i], signature);
    });
  }

  private onEvent(message: string): void {
    try {
      const event = JSON.parse(message) as { o: string; id: string; s: string };
      if (event.o !== this.redis.instanceId) this.local.set(event.id, event.s);
    } catch {
      // Not ours.
    }
  }
}
