import { Inject, Injectable, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { redisConfig } from '../config/configuration';
import { RedisConnection } from './redis-connection';
import { SharedStateStatus } from './shared-state-status';

/** The replicas' Redis when REDIS_URL is set; null for the embedded, single-process default. */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Optional() @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}

/** Where the state several replicas share lives: Redis, or nowhere (each process alone). */
@Module({
  providers: [
    {
      provide: REDIS_CONNECTION,
      inject: [redisConfig.KEY],
      useFactory: (cfg: ConfigType<typeof redisConfig>) =>
        cfg.url
          ? new RedisConnection({
              url: cfg.url,
              keyPrefix: cfg.keyPrefix,
              replicaId: cfg.replicaId,
            })
          : null,
    },
    {
      provide: SharedStateStatus,
      inject: [redisConfig.KEY, REDIS_CONNECTION],
      useFactory: (cfg: ConfigType<typeof redisConfig>, redis: RedisConnection | null) =>
        new SharedStateStatus(cfg.replicaId, redis),
    },
    RedisCloser,
  ],
  exports: [REDIS_CONNECTION, SharedStateStatus],
})
export class RedisModule {}
