import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { TranslationModule } from '../translation/translation.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { OpenAIController } from './openai.controller';
import { OpenAIService } from './openai.service';

@Module({
  imports: [UpstreamModule, TranslationModule, ModelsModule],
  controllers: [OpenAIController],
  providers: [OpenAIService],
  exports: [OpenAIService],
})
export class OpenAIModule {}
