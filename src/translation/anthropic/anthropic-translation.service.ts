import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../request/request-context';
import type { GeminiResponse } from '../../upstream/gemini-types';
import { RequestRulesFactory } from '../common/request-rules';
import { THOUGHT_SIGNATURE_STORE, ThoughtSignatureStore } from '../common/thought-signature-store';
import type { AnthropicMessage, AnthropicMessagesRequest } from './anthropic-types';
import { MappedMessagesRequest, toGeminiRequest } from './request-mapper';
import { toAnthropicMessage } from './response-mapper';
import { AnthropicStreamSequencer, SequencerContext } from './stream-sequencer';

export type AnthropicReplyContext = Omit<SequencerContext, 'signatures'>;

/**
 * The Anthropic mappers as the Messages routes see them, given the state they share with the
 * other dialects: the thought-signature store and the per-request rules (media, schemas).
 */
@Injectable()
export class AnthropicTranslationService {
  constructor(
    private readonly rules: RequestRulesFactory,
    @Inject(THOUGHT_SIGNATURE_STORE) private readonly signatures: ThoughtSignatureStore,
  ) {}

  /** When the request's client leaves, the media fetches of its request stop. */
  async toGeminiRequest(
    req: AnthropicMessagesRequest,
    context: RequestContext,
  ): Promise<MappedMessagesRequest> {
    await this.signatures.loadFor(req);
    return toGeminiRequest(req, {
      rules: this.rules.forRequest(context),
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
