import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { credentialsConfig } from '../config/configuration';
import { Clock, SystemClock } from './clock';
import { CredentialFileStore } from './credential-file-store';
import { CredentialPool } from './credential-pool';
import { CredentialsService } from './credentials.service';
import { InMemoryPoolStateStore, PoolStateStore } from './pool-state-store';
import { LocalTokenCoordinator, TOKEN_COORDINATOR, TokenCoordinator } from './token-coordinator';
import { RedisConnection } from '../state/redis-connection';
import { RedisPoolStateStore } from '../state/redis-pool-state-store';
import { RedisTokenCoordinator } from '../state/redis-token-coordinator';
import { REDIS_CONNECTION, StateModule } from '../state/state.module';
import { RouteOutModule } from '../route-out/route-out.module';

export const POOL_STATE_STORE = Symbol('POOL_STATE_STORE');

@Module({
  imports: [StateModule, RouteOutModule],
  providers: [
    { provide: Clock, useClass: SystemClock },
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
    {
      provide: CredentialPool,
      inject: [POOL_STATE_STORE, Clock],
      useFactory: (store: PoolStateStore, clock: Clock) => new CredentialPool(store, clock),
    },
    {
      provide: CredentialFileStore,
      inject: [credentialsConfig.KEY],
      useFactory: (cfg: ConfigType<typeof credentialsConfig>) =>
        new CredentialFileStore(cfg.storagePath),
    },
    CredentialsService,
  ],
  exports: [CredentialsService, CredentialPool, CredentialFileStore, Clock],
})
export class CredentialsModule {}
