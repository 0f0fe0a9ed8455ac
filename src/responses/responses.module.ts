import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { ModelsModule } from '../models/models.module';
import { TranslationModule } from '../translation/translation.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

/** The Responses API; its response store is bound where the app is composed (SharedStateModule). */
@Module({
  imports: [UpstreamModule, TranslationModule, CredentialsModule, ModelsModule],
  controllers: [ResponsesController],
  providers: [ResponsesService],
})
export class ResponsesModule {}
