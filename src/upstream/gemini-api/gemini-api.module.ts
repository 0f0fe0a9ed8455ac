import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../../config/configuration';
import { UpstreamHttp } from '../upstream-http';
import { UpstreamHttpModule } from '../upstream-http.module';
import { GeminiApiClient } from './gemini-api-client';

/** The Gemini API backend: API keys on `generativelanguage.googleapis.com`. */
@Module({
  imports: [UpstreamHttpModule],
  providers: [
    {
      provide: GeminiApiClient,
      inject: [UpstreamHttp, upstreamConfig.KEY],
      useFactory: (http: UpstreamHttp, cfg: ConfigType<typeof upstreamConfig>) =>
        new GeminiApiClient(http, { endpoint: cfg.geminiApiEndpoint, timeoutMs: cfg.timeoutMs }),
    },
  ],
  exports: [GeminiApiClient],
})
export class GeminiApiModule {}
