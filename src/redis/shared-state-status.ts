import { RedisConnection } from './redis-connection';

export type SharedStateMode = 'memory' | 'redis' | 'redis-unreachable';

/** Which replica answered and where its pool state lives, for /admin and /metrics. */
export class SharedStateStatus {
  constructor(
    readonly replicaId: string,
    private readonly redis: RedisConnection | null,
  ) {}

  private readonly failedWrites = new Map<string, number>();

  /** A write Redis refused (down, reconnecting, or full); the store kept it locally. */
  recordFailedWrite(store: string): void {
    this.failedWrites.set(store, (this.failedWrites.get(store) ?? 0) + 1);
  }

  /** Refused writes so far, by store. */
  get writeFailures(): ReadonlyMap<string, number> {
    return this.failedWrites;
  }

  get mode(): SharedStateMode {
    if (!this.redis) return 'memory';
    return this.redis.isUp ? 'redis' : 'redis-unreachable';
  }

  /** 1 or 0 with REDIS_URL set, undefined without (nothing to report). */
  get redisUp(): number | undefined {
    return this.redis ? (this.redis.isUp ? 1 : 0) : undefined;
  }
}
