import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig, responsesConfig } from '../config/configuration';
import { Clock } from '../credentials/clock';
import { CredentialsModule } from '../credentials/credentials.module';
import { deriveSealKey, ReasoningSeal } from '../translation/responses/reasoning-seal';
import { ModelsModule } from '../models/models.module';
import { TranslationModule } from '../translation/translation.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { RedisConnection } from '../state/redis-connection';
import { RedisResponseStore } from '../state/redis-response-store';
import { REDIS_CONNECTION, StateModule } from '../state/state.module';
import { InMemoryResponseStore, RESPONSE_STORE, ResponseStore } from './response-store';
import { ResponsesController } from './responses.controller';
import { REASONING_SEAL, ResponsesService } from './responses.service';

/** Most responses an agent session leaves behind are never read again; this bounds the memory. */
const MAX_STORED_RESPONSES = 2_000;

@Module({
  imports: [UpstreamModule, TranslationModule, CredentialsModule, ModelsModule, StateModule],
  controllers: [ResponsesController],
  providers: [
    ResponsesService,
    // In memory for one process; with REDIS_URL, in Redis with a local copy for its outages.
    {
      provide: RESPONSE_STORE,
      inject: [responsesConfig.KEY, Clock, REDIS_CONNECTION],
      useFactory: (
        cfg: ConfigType<typeof responsesConfig>,
        clock: Clock,
        redis: RedisConnection | null,
      ): ResponseStore => {
        const local = new InMemoryResponseStore({
          ttlMs: cfg.ttlSeconds * 1000,
          maxEntries: MAX_STORED_RESPONSES,
          now: () => clock.now(),
        });
        return redis ? new RedisResponseStore(redis, local, cfg.ttlSeconds * 1000) : local;
      },
    },
    {
      provide: REASONING_SEAL,
      inject: [authConfig.KEY],
      useFactory: (cfg: ConfigType<typeof authConfig>) =>
        new ReasoningSeal(deriveSealKey(cfg.password)),
    },
  ],
})
export class ResponsesModule {}
