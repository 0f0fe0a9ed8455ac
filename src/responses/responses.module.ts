import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig, responsesConfig } from '../config/configuration';
import { Clock } from '../credentials/clock';
import { CredentialsModule } from '../credentials/credentials.module';
import { deriveSealKey, ReasoningSeal } from '../translation/responses/reasoning-seal';
import { ModelsModule } from '../models/models.module';
import { TranslationModule } from '../translation/translation.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { InMemoryResponseStore, RESPONSE_STORE } from './response-store';
import { ResponsesController } from './responses.controller';
import { REASONING_SEAL, ResponsesService } from './responses.service';

/** Most responses an agent session leaves behind are never read again; this bounds the memory. */
const MAX_STORED_RESPONSES = 2_000;

@Module({
  imports: [UpstreamModule, TranslationModule, CredentialsModule, ModelsModule],
  controllers: [ResponsesController],
  providers: [
    ResponsesService,
    // In memory for one process; a shared store (Redis) replaces it here for several replicas.
    {
      provide: RESPONSE_STORE,
      inject: [responsesConfig.KEY, Clock],
      useFactory: (cfg: ConfigType<typeof responsesConfig>, clock: Clock) =>
        new InMemoryResponseStore({
          ttlMs: cfg.ttlSeconds * 1000,
          maxEntries: MAX_STORED_RESPONSES,
          now: () => clock.now(),
        }),
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
