import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mediaConfig } from '../config/configuration';
import { AnthropicTranslationService } from './anthropic/anthropic-translation.service';
import { HttpMediaFetcher, MEDIA_FETCHER } from './media-fetcher';
import { MEDIA_LIMITS, MediaLimits } from './request-media';
import { InMemoryThoughtSignatureStore, THOUGHT_SIGNATURE_STORE } from './thought-signature-store';
import { TranslationService } from './translation.service';

@Module({
  providers: [
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
    // In memory for one process; a shared store (Redis) replaces it here for several replicas.
    { provide: THOUGHT_SIGNATURE_STORE, useFactory: () => new InMemoryThoughtSignatureStore() },
  ],
  // The Responses dialect maps with its own pure functions but shares the fetcher and the signatures.
  exports: [
    TranslationService,
    AnthropicTranslationService,
    MEDIA_FETCHER,
    THOUGHT_SIGNATURE_STORE,
  ],
})
export class TranslationModule {}
