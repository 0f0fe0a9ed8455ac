import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { quotaConfig, responsesConfig } from '../config/configuration';
import { InMemoryPoolStateStore, POOL_STATE_STORE } from '../credentials/pool-state-store';
import type { PoolStateStore } from '../credentials/pool-state-store';
import {
  InMemoryResourceOwnerStore,
  RESOURCE_OWNER_STORE,
  ResourceOwnerStore,
} from '../files/resource-owner-store';
import { ResourceOwners } from '../files/resource-owners';
import { InMemoryQuotaStore, MAX_QUOTA_ENTRIES, QUOTA_STORE } from '../quota/quota-store';
import type { QuotaStore } from '../quota/quota-store';
import { AFFINITY_STORE, InMemoryAffinityStore } from '../quota/session-affinity';
import type { AffinityStore } from '../quota/session-affinity';
import { LocalTokenCoordinator, TOKEN_COORDINATOR } from '../credentials/token-coordinator';
import type { TokenCoordinator } from '../credentials/token-coordinator';
import { RedisConnection } from '../redis/redis-connection';
import { REDIS_CONNECTION, RedisModule } from '../redis/redis.module';
import { SharedStateStatus } from '../redis/shared-state-status';
import { InMemoryResponseStore, RESPONSE_STORE } from '../responses/response-store';
import type { ResponseStore } from '../responses/response-store';
import { Clock } from '../time/clock';
import { TimeModule } from '../time/time.module';
import {
  InMemoryThoughtSignatureStore,
  THOUGHT_SIGNATURE_STORE,
} from '../translation/common/thought-signature-store';
import type { ThoughtSignatureStore } from '../translation/common/thought-signature-store';
import { RESOURCE_AFFINITY } from '../upstream/resource-pin';
import { RedisAffinityStore } from './redis-affinity-store';
import { RedisPoolStateStore } from './redis-pool-state-store';
import { RedisQuotaStore } from './redis-quota-store';
import { RedisResourceOwnerStore } from './redis-resource-owner-store';
import { RedisResponseStore } from './redis-response-store';
import { RedisThoughtSignatureStore } from './redis-thought-signature-store';
import { RedisTokenCoordinator } from './redis-token-coordinator';

/** Bounds one process's resource-owner records; a Redis-backed pool keeps them all in Redis. */
const MAX_LOCAL_RESOURCE_RECORDS = 100_000;

/**
 * Binds each store interface to its implementation: the feature's in-memory one for a single
 * process, the Redis adapter here when REDIS_URL is set. Each interface and its token belong to the
 * feature that uses it, so no feature imports an adapter; the app imports this module once.
 *
 * Global, unlike every module but the config: Nest resolves a provider across modules only through
 * an import or a global, and an import of this module from a feature is the cycle it removes.
 */
@Global()
@Module({
  imports: [RedisModule, TimeModule],
  providers: [
    // In memory for one process; in Redis, behind a local copy, when replicas share the pool.
    {
      provide: POOL_STATE_STORE,
      inject: [REDIS_CONNECTION, Clock],
      useFactory: (redis: RedisConnection | null, clock: Clock): PoolStateStore =>
        redis ? new RedisPoolStateStore(redis, () => clock.now()) : new InMemoryPoolStateStore(),
    },
    {
      provide: TOKEN_COORDINATOR,
      inject: [REDIS_CONNECTION, Clock],
      useFactory: (redis: RedisConnection | null, clock: Clock): TokenCoordinator =>
        redis ? new RedisTokenCoordinator(redis, () => clock.now()) : new LocalTokenCoordinator(),
    },
    // In memory for one process; with REDIS_URL, in Redis behind a local LRU.
    {
      provide: THOUGHT_SIGNATURE_STORE,
      inject: [REDIS_CONNECTION],
      useFactory: (redis: RedisConnection | null): ThoughtSignatureStore =>
        redis ? new RedisThoughtSignatureStore(redis) : new InMemoryThoughtSignatureStore(),
    },
    // In memory for one process; with REDIS_URL, in Redis with a local copy for its outages.
    {
      provide: RESPONSE_STORE,
      inject: [responsesConfig.KEY, Clock, REDIS_CONNECTION, SharedStateStatus],
      useFactory: (
        cfg: ConfigType<typeof responsesConfig>,
        clock: Clock,
        redis: RedisConnection | null,
        shared: SharedStateStatus,
      ): ResponseStore => {
        const local = new InMemoryResponseStore({
          ttlMs: cfg.ttlSeconds * 1000,
          maxBytes: cfg.storeMaxBytes,
          now: () => clock.now(),
        });
        return redis
          ? new RedisResponseStore(redis, local, cfg.ttlSeconds * 1000, () =>
              shared.recordFailedWrite('responses'),
            )
          : local;
      },
    },
    // The quota counters and the conversation → credential affinity: per process, or in Redis.
    {
      provide: QUOTA_STORE,
      inject: [REDIS_CONNECTION],
      useFactory: (redis: RedisConnection | null): QuotaStore =>
        redis ? new RedisQuotaStore(redis, MAX_QUOTA_ENTRIES) : new InMemoryQuotaStore(),
    },
    {
      provide: AFFINITY_STORE,
      inject: [REDIS_CONNECTION, quotaConfig.KEY, Clock],
      useFactory: (
        redis: RedisConnection | null,
        cfg: ConfigType<typeof quotaConfig>,
        clock: Clock,
      ): AffinityStore =>
        redis
          ? new RedisAffinityStore(redis, cfg.affinityTtlMs, () => clock.now())
          : new InMemoryAffinityStore(cfg.affinityTtlMs, () => clock.now()),
    },
    // Who owns each Google resource: in memory, or in Redis when replicas share the pool. The
    // owners answer upstream's resource pins (RESOURCE_AFFINITY), so upstream never imports files/.
    {
      provide: RESOURCE_OWNER_STORE,
      inject: [REDIS_CONNECTION, Clock],
      useFactory: (redis: RedisConnection | null, clock: Clock): ResourceOwnerStore => {
        const local = new InMemoryResourceOwnerStore({
          maxEntries: MAX_LOCAL_RESOURCE_RECORDS,
          now: () => clock.now(),
        });
        return redis ? new RedisResourceOwnerStore(redis, local) : local;
      },
    },
    {
      provide: ResourceOwners,
      inject: [RESOURCE_OWNER_STORE],
      useFactory: (store: ResourceOwnerStore) => new ResourceOwners(store),
    },
    { provide: RESOURCE_AFFINITY, useExisting: ResourceOwners },
  ],
  exports: [
    POOL_STATE_STORE,
    TOKEN_COORDINATOR,
    THOUGHT_SIGNATURE_STORE,
    RESPONSE_STORE,
    QUOTA_STORE,
    AFFINITY_STORE,
    ResourceOwners,
    RESOURCE_AFFINITY,
  ],
})
export class SharedStateModule {}
