import { Inject, Injectable } from '@nestjs/common';
import type { GeminiResponse } from '../../upstream/gemini-types';
import { MEDIA_FETCHER, MediaFetcher } from '../media-fetcher';
import { THOUGHT_SIGNATURE_STORE, ThoughtSignatureStore } from '../thought-signature-store';
import type { AnthropicMessage, AnthropicMessagesRequest } from './anthropic-types';
import { MappedMessagesRequest, toGeminiRequest } from './request-mapper';
import { toAnthropicMessage } from './response-mapper';
import { AnthropicStreamSequencer, SequencerContext } from './stream-sequencer';

export type AnthropicReplyContext = Omit<SequencerContext, 'signatures'>;

/**
 * The Anthropic mappers as the Messages routes see them, given the state they share with the
 * other dialects: the thought-signature store and the media fetcher.
 */
@Injectable()
export class AnthropicTranslationService {
  constructor(
    @Inject(MEDIA_FETCHER) private readonly media: MediaFetcher,
    @Inject(THOUGHT_SIGNATURE_STORE) private readonly signatures: ThoughtSignatureStore,
  ) {}

  async toGeminiRequest(req: AnthropicMessagesRequest): Promise<MappedMessagesRequest> {
    await this.signatures.loadFor(req);
    return toGeminiRequest(req, {
      fetchMedia: (url) => this.media.fetchMedia(url),
      signatures: this.signatures,
    });
  }

  toAnthropicMessage(resp: GeminiResponse, ctx: AnthropicReplyContext): AnthropicMessage {
    return toAnthropicMessage(resp, { ...ctx, signatures: this.signatures });
  }

  createSequencer(ctx: AnthropicReplyContext): AnthropicStreamSequencer {
    return new AnthropicStreamSequencer({ ...ctx, signatures: this.signatures });
  }
}
