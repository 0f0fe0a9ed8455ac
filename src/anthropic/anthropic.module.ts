import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { TranslationModule } from '../translation/translation.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { AnthropicController } from './anthropic.controller';
import { AnthropicService } from './anthropic.service';
import { requestIdMiddleware } from './request-id.middleware';

/**
 * Anthropic's Messages API. Its model list is served by the shared model routes (DialectsModule);
 * the `request-id` header is set here on those too, for requests in Anthropic's dialect.
 */
@Module({
  imports: [UpstreamModule, TranslationModule, ModelsModule],
  controllers: [AnthropicController],
  providers: [AnthropicService],
  exports: [AnthropicService],
})
export class AnthropicModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(requestIdMiddleware)
      .forRoutes(
        { path: 'v1/messages', method: RequestMethod.POST },
        { path: 'v1/messages/count_tokens', method: RequestMethod.POST },
        { path: 'v1/models', method: RequestMethod.GET },
        { path: 'v1/models/:id', method: RequestMethod.GET },
      );
  }
}
