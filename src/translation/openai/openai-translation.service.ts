import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../request/request-context';
import type { GeminiResponse } from '../../upstream/gemini-types';
import {
  GeminiBatchEmbedResponse,
  MappedEmbeddingsRequest,
  toEmbeddingsRequest,
  toEmbeddingsResponse,
} from './embeddings-mapper';
import type {
  ChatCompletion,
  OpenAIChatRequest,
  OpenAIEmbeddingsRequest,
  OpenAIEmbeddingsResponse,
} from './openai-types';
import { MappedChatRequest, toGeminiRequest } from './request-mapper';
import { RequestRulesFactory } from '../common/request-rules';
import { ResponseContext, toChatCompletion } from './response-mapper';
import { ChatStreamMapper, StreamContext } from './stream-mapper';
import { THOUGHT_SIGNATURE_STORE, ThoughtSignatureStore } from '../common/thought-signature-store';

export type ChatResponseContext = Omit<ResponseContext, 'signatures'>;
export type ChatStreamContext = Omit<StreamContext, 'signatures'>;

/**
 * The translation layer as the controllers see it: pure mappers, given the state they share —
 * the thought-signature store (a signature handed out in a response must be found when the
 * client replays the call). The request's media and schemas are spent through its rules.
 */
@Injectable()
export class OpenAITranslationService {
  constructor(
    private readonly rules: RequestRulesFactory,
    @Inject(THOUGHT_SIGNATURE_STORE) private readonly signatures: ThoughtSignatureStore,
  ) {}

  /** When the request's client leaves, the media fetches of its request stop. */
  async toGeminiRequest(
    req: OpenAIChatRequest,
    context: RequestContext,
  ): Promise<MappedChatRequest> {
    await this.signatures.loadFor(req);
    return toGeminiRequest(req, {
      rules: this.rules.forRequest(context),
      signatures: this.signatures,
    });
  }

  toChatCompletion(resp: GeminiResponse, ctx: ChatResponseContext): ChatCompletion {
    return toChatCompletion(resp, { ...ctx, signatures: this.signatures });
  }

  createStreamMapper(ctx: ChatStreamContext): ChatStreamMapper {
    return new ChatStreamMapper({ ...ctx, signatures: this.signatures });
  }

  toEmbeddingsRequest(req: OpenAIEmbeddingsRequest): MappedEmbeddingsRequest {
    return toEmbeddingsRequest(req);
  }

  toEmbeddingsResponse(
    resp: GeminiBatchEmbedResponse[],
    req: OpenAIEmbeddingsRequest,
  ): OpenAIEmbeddingsResponse {
    return toEmbeddingsResponse(resp, req);
  }
}
