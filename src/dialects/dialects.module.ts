import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AnthropicModule } from '../anthropic/anthropic.module';
import { GeminiModule } from '../gemini/gemini.module';
import { OpenAIModule } from '../openai/openai.module';
import { DialectErrorFilter } from './dialect-error.filter';
import { SharedModelsController } from './shared-models.controller';
import { SharedModelsService } from './shared-models.service';

/**
 * What the client dialects share at the edge: the one error filter, which answers in the dialect
 * of the route, and the model routes three of them claim.
 */
@Module({
  imports: [OpenAIModule, AnthropicModule, GeminiModule],
  controllers: [SharedModelsController],
  providers: [SharedModelsService, { provide: APP_FILTER, useClass: DialectErrorFilter }],
})
export class DialectsModule {}
