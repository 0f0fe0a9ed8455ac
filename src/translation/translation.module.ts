import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mediaConfig } from '../config/configuration';
import { AnthropicTranslationService } from './anthropic/anthropic-translation.service';
import { HttpMediaFetcher, MEDIA_FETCHER } from './common/media-fetcher';
import { MEDIA_LIMITS, MediaLimits } from './common/request-media';
import { RequestRulesFactory } from './common/request-rules';
import { RedisConnection } from '../state/redis-connection';
import { RedisThoughtSignatureStore } from '../state/redis-thought-signature-store';
import { REDIS_CONNECTION, StateModule } from '../state/state.module';
import {
  InMemoryThoughtSignatureStore,
  THOUGHT_SIGNATURE_STORE,
  ThoughtSignatureStore,
} from './common/thought-signature-store';
import { TranslationService } from './openai/openai-translation.service';

@Module({
  imports: [StateModule],
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
    // In memory for one process; with REDIS_URL, in Redis behind a local LRU.
    {
      provide: THOUGHT_SIGNATURE_STORE,
      inject: [REDIS_CONNECTION],
      useFactory: (redis: RedisConnection | null): ThoughtSignatureStore =>
        redis ? new RedisThoughtSignatureStore(redis) : new InMemoryThoughtSignatureStore(),
    },
  ],
  // The Responses dialect maps with its own pure functions but shares the rules and the signatures.
  exports: [
    RequestRulesFactory,
    TranslationService,
    AnthropicTranslationService,
    MEDIA_FETCHER,
    THOUGHT_SIGNATURE_STORE,
  ],
})
export class TranslationModule {}
