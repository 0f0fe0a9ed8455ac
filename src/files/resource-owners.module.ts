import { Module } from '@nestjs/common';
import { Clock } from '../credentials/clock';
import { CredentialsModule } from '../credentials/credentials.module';
import { RedisConnection } from '../state/redis-connection';
import { RedisResourceOwnerStore } from '../state/redis-resource-owner-store';
import { REDIS_CONNECTION, StateModule } from '../state/state.module';
import { RESOURCE_AFFINITY } from '../upstream/resource-pin';
import { InMemoryResourceOwnerStore, RESOURCE_OWNER_STORE } from './resource-owner-store';
import { ResourceOwners } from './resource-owners';

/** Bounds one process's records; a Redis-backed pool keeps them all in Redis. */
const MAX_LOCAL_RECORDS = 100_000;

/** Who owns each Google resource: in memory, or in Redis when replicas share the pool. */
@Module({
  imports: [StateModule, CredentialsModule],
  providers: [
    {
      provide: RESOURCE_OWNER_STORE,
      inject: [REDIS_CONNECTION, Clock],
      useFactory: (redis: RedisConnection | null, clock: Clock) => {
        const local = new InMemoryResourceOwnerStore({
          maxEntries: MAX_LOCAL_RECORDS,
          now: () => clock.now(),
        });
        return redis ? new RedisResourceOwnerStore(redis, local) : local;
      },
    },
    {
      provide: ResourceOwners,
      inject: [RESOURCE_OWNER_STORE],
      useFactory: (store: InMemoryResourceOwnerStore) => new ResourceOwners(store),
    },
    { provide: RESOURCE_AFFINITY, useExisting: ResourceOwners },
  ],
  exports: [ResourceOwners, RESOURCE_AFFINITY],
})
export class ResourceOwnersModule {}
