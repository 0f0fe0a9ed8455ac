import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../request/request-context';
import type { FetchedMedia } from '../common/content-parts';
import { RequestRulesFactory } from '../common/request-rules';
import { THOUGHT_SIGNATURE_STORE, ThoughtSignatureStore } from '../common/thought-signature-store';
import { ResponseEventSequencer } from './event-sequencer';
import { ReasoningSeal } from './reasoning-seal';
import { MappedResponsesRequest, toGeminiResponsesRequest } from './request-mapper';
import type { InputItem, ResponseCreateRequest, ResponseObject } from './responses-types';
import type { ClientTool } from './responses-tools';

export const REASONING_SEAL = Symbol('REASONING_SEAL');

export interface ResponsesTurn {
  /** The whole conversation: the stored chain's items, then this turn's. */
  context: InputItem[];
  /** How many of `context`'s items come from the stored chain. */
  stored: number;
  /** Media the chain's turns fetched, sent again instead of fetched again. */
  storedMedia?: ReadonlyMap<string, FetchedMedia>;
}

/**
 * The Responses mappers as its routes see them, given the state they share with the other
 * dialects (the thought-signature store, the per-request rules) and the seal its reasoning
 * items carry signatures in.
 */
@Injectable()
export class ResponsesTranslationService {
  constructor(
    private readonly rules: RequestRulesFactory,
    @Inject(THOUGHT_SIGNATURE_STORE) private readonly signatures: ThoughtSignatureStore,
    @Inject(REASONING_SEAL) private readonly seal: ReasoningSeal,
  ) {}

  /**
   * When the request's client leaves, the media fetches of its request stop. What this
   * turn fetched comes back for its stored turn to keep.
   */
  async toGeminiRequest(
    req: ResponseCreateRequest,
    turn: ResponsesTurn,
    context: RequestContext,
  ): Promise<{ mapped: MappedResponsesRequest; media: Record<string, FetchedMedia> }> {
    await this.signatures.loadFor(turn.context);
    const rules = this.rules.forRequest(context, turn.storedMedia);
    const mapped = await toGeminiResponsesRequest(
      req,
      turn.context,
      { rules, signatures: this.signatures, seal: this.seal },
      turn.stored,
    );
    return { mapped, media: rules.fetchedMedia() };
  }

  /** `sealReasoning` when the client asked for `reasoning.encrypted_content`. */
  createSequencer(
    response: ResponseObject,
    mapped: MappedResponsesRequest,
    sealReasoning: boolean,
  ): ResponseEventSequencer {
    const tools: Map<string, ClientTool> = mapped.tools;
    return new ResponseEventSequencer({
      response,
      tools,
      signatures: this.signatures,
      seal: sealReasoning
        ? (signatures) => this.seal.seal({ model: mapped.model, signatures })
        : undefined,
    });
  }
}
