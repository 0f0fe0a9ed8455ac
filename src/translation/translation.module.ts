import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig, mediaConfig } from '../config/configuration';
import { AnthropicTranslationService } from './anthropic/anthropic-translation.service';
import { HttpMediaFetcher, MEDIA_FETCHER } from './common/media-fetcher';
import { MEDIA_LIMITS, MediaLimits } from './common/request-media';
import { RequestRulesFactory } from './common/request-rules';
import { OpenAITranslationService } from './openai/openai-translation.service';
import { deriveSealKey, ReasoningSeal } from './responses/reasoning-seal';
import {
  REASONING_SEAL,
  ResponsesTranslationService,
} from './responses/responses-translation.service';

/**
 * One translation service per client dialect, over the state they share: the per-request rules
 * (media, schemas); the thought-signature store is bound in SharedStateModule. A new dialect is one folder and one line here.
 * Native Gemini has none: its routes forward Google's own wire format.
 */
const DIALECT_SERVICES = [
  OpenAITranslationService,
  AnthropicTranslationService,
  ResponsesTranslationService,
];

@Module({
  providers: [
    ...DIALECT_SERVICES,
    RequestRulesFactory,
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
    // Keyed by the proxy's password, so any replica opens what another sealed.
    {
      provide: REASONING_SEAL,
      inject: [authConfig.KEY],
      useFactory: (cfg: ConfigType<typeof authConfig>) =>
        new ReasoningSeal(deriveSealKey(cfg.password)),
    },
  ],
  exports: DIALECT_SERVICES,
})
export class TranslationModule {}
