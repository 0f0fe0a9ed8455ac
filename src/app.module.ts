import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { AnthropicModule } from './anthropic/anthropic.module';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule } from './config/config.module';
import type { EnvSource } from './config/configuration';
import { CredentialsModule } from './credentials/credentials.module';
import { GeminiModule } from './gemini/gemini.module';
import { HealthController } from './health.controller';
import { BodyModule } from './http/body.module';
import { FallbackErrorFilter } from './fallback-error.filter';
import { LoggingModule } from './logging/logging.module';
import { MediaModule } from './media/media.module';
import { MetricsModule } from './metrics/metrics.module';
import { OpenAIModule } from './openai/openai.module';
import { RequestGuard } from './request.guard';
import { ResponsesModule } from './responses/responses.module';
import { SharedStateModule } from './state/shared-state.module';
import { UsageModule } from './usage/usage.module';

/**
 * The proxy. Built by `register()` so that configuration is read when the app starts, not on
 * import: from `env` when given (tests), else from `.env` and the environment.
 */
@Module({})
export class AppModule {
  static register(env?: EnvSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.register(env),
        SharedStateModule,
        AuthModule,
        BodyModule,
        CredentialsModule,
        // Anthropic, then Gemini, then OpenAI: GET /v1/models answers requests with
        // anthropic-version in Anthropic's shape, those of Google's SDKs in Google's, others in OpenAI's.
        AnthropicModule,
        GeminiModule,
        OpenAIModule,
        ResponsesModule,
        MediaModule,
        LoggingModule,
        MetricsModule,
        UsageModule,
        AdminModule,
      ],
      controllers: [HealthController],
      providers: [
        // The one global guard: the password, then the body.
        { provide: APP_GUARD, useClass: RequestGuard },
        { provide: APP_FILTER, useClass: FallbackErrorFilter },
      ],
    };
  }
}
