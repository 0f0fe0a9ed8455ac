import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { responsesConfig } from '../config/configuration';
import { Clock } from '../credentials/clock';
import { CredentialsModule } from '../credentials/credentials.module';
import { ModelsModule } from '../models/models.module';
import { TranslationModule } from '../translation/translation.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { RedisConnection } from '../state/redis-connection';
import { RedisResponseStore } from '../state/redis-response-store';
import { SharedStateStatus } from '../state/shared-state-status';
import { REDIS_CONNECTION, StateModule } from '../state/state.module';
import { InMemoryResponseStore, RESPONSE_STORE, ResponseStore } from './response-store';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

@Module({
  imports: [UpstreamModule, TranslationModule, CredentialsModule, ModelsModule, StateModule],
  controllers: [ResponsesController],
  providers: [
    ResponsesService,
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
  ],
  exports: [RESPONSE_STORE],
})
export class ResponsesModule {}
