import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { AnthropicModule } from './anthropic/anthropic.module';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule } from './config/config.module';
import type { EnvSource } from './config/configuration';
import { CredentialsModule } from './credentials/credentials.module';
import { DialectsModule } from './dialects/dialects.module';
import { FilesModule } from './files/files.module';
import { GeminiModule } from './gemini/gemini.module';
import { HealthController } from './health.controller';
import { BodyModule } from './http/body.module';
import { LoggingModule } from './logging/logging.module';
import { MediaModule } from './media/media.module';
import { MetricsModule } from './metrics/metrics.module';
import { OpenAIModule } from './openai/openai.module';
import { QuotaModule } from './quota/quota.module';
import { RequestGuard } from './request.guard';
import { ResponsesModule } from './responses/responses.module';
import { SharedStateModule } from './state/shared-state.module';
import { UsageModule } from './usage/usage.module';
import { ClientKeyLookupModule } from './client-keys/client-keys.module';
import { RuntimeCredentialsModule } from './runtime-credentials/runtime-credentials.module';

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
        // Global: the dispatcher's CALL_QUOTA.
        QuotaModule,
        // The model routes first: Express tries routes in the order modules register them, and
        // every model call would otherwise be matched against the files and admin routes first.
        GeminiModule,
        OpenAIModule,
        AnthropicModule,
        ResponsesModule,
        // The one error filter and the model routes the dialects share.
        DialectsModule,
        FilesModule,
        MediaModule,
        LoggingModule,
        MetricsModule,
        UsageModule,
        ClientKeyLookupModule,
        RuntimeCredentialsModule,
        AdminModule,
      ],
      controllers: [HealthController],
      // The one global guard: the password, then the body.
      providers: [{ provide: APP_GUARD, useClass: RequestGuard }],
    };
  }
}
