import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mediaConfig } from '../config/configuration';
import { AnthropicTranslationService } from './anthropic/anthropic-translation.service';
import { HttpMediaFetcher, MEDIA_FETCHER } from './media-fetcher';
import { MEDIA_LIMITS, MediaLimits } from './request-media';
import { RequestRulesFactory } from './request-rules';
import { TranslationService } from './translation.service';

@Module({
  providers: [
    RequestRulesFactory,
    TranslationService,
    AnthropicTranslationService,
    {
      provide: MEDIA_FETCHER,
      inject: [mediaConfig.KEY],
      useFactory: (cfg: ConfigType<typeof mediaConfig>) =>
        new HttpMediaFetcher({
          maxBytes: cfg.fetchMaxBytes,
          timeoutMs: cfg.fetchTimeoutMs,
          allowPrivate: cfg.allowPrivate,
        }),
    },
    {
      provide: MEDIA_LIMITS,
      inject: [mediaConfig.KEY],
      useFactory: (cfg: ConfigType<typeof mediaConfig>): MediaLimits => ({
        maxUrls: cfg.maxUrls,
        maxTotalBytes: cfg.maxTotalBytes,
        concurrency: cfg.concurrency,
      }),
    },
  ],
  // The Responses dialect maps with its own pure functions but shares the rules; the thought
  // signatures' store is bound where the app is composed (SharedStateModule).
  exports: [RequestRulesFactory, TranslationService, AnthropicTranslationService, MEDIA_FETCHER],
})
export class TranslationModule {}
