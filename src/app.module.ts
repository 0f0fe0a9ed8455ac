import { DynamicModule, Module } from '@nestjs/common';
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
import { ResponsesModule } from './responses/responses.module';
import { UsageModule } from './usage/usage.module';
import { ClientKeysModule } from './client-keys/client-keys.module';
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
        // AuthModule before BodyModule: their global guards run in this order, password first.
        AuthModule,
        BodyModule,
        CredentialsModule,
        AnthropicModule,
        // Before Gemini: models/{model}:batchGenerateContent is the Files module's; it passes the rest on.
        FilesModule,
        GeminiModule,
        OpenAIModule,
        ResponsesModule,
        // The one error filter and the model routes the dialects share.
        DialectsModule,
        MediaModule,
        LoggingModule,
        MetricsModule,
        UsageModule,
        ClientKeysModule,
        RuntimeCredentialsModule,
        AdminModule,
      ],
      controllers: [HealthController],
    };
  }
}
