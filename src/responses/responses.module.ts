import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/configuration';
import { CredentialsModule } from '../credentials/credentials.module';
import { deriveSealKey, ReasoningSeal } from '../translation/responses/reasoning-seal';
import { ModelsModule } from '../models/models.module';
import { TranslationModule } from '../translation/translation.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { ResponsesController } from './responses.controller';
import { REASONING_SEAL, ResponsesService } from './responses.service';

/** The Responses API; its response store is bound where the app is composed (SharedStateModule). */
@Module({
  imports: [UpstreamModule, TranslationModule, CredentialsModule, ModelsModule],
  controllers: [ResponsesController],
  providers: [
    ResponsesService,
    {
      provide: REASONING_SEAL,
      inject: [authConfig.KEY],
      useFactory: (cfg: ConfigType<typeof authConfig>) =>
        new ReasoningSeal(deriveSealKey(cfg.password)),
    },
  ],
})
export class ResponsesModule {}
