import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { serverConfig, upstreamConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { Reply } from '../http/reply';
import type { FetchedMedia } from '../translation/common/content-parts';
import { eventFrames, failedFrames } from '../translation/responses/frames';
import { normaliseInput } from '../translation/responses/input-items';
import type { MappedResponsesRequest } from '../translation/responses/request-mapper';
import { newResponseId, responseSkeleton } from '../translation/responses/response-object';
import { ToolTypeLog } from '../translation/responses/tool-type-log';
import type {
  InputItem,
  ResponseCreateRequest,
  ResponseObject,
} from '../translation/responses/responses-types';
import { ResponsesTranslationService } from '../translation/responses/responses-translation.service';
import { ModelAliasesService } from '../models/model-aliases.service';
import { RequestContext } from '../request/request-context';
import { UpstreamDispatcher } from '../upstream/dispatcher';
import type { JsonObject } from '../upstream/gemini-types';
import {
  Chain,
  chainItems,
  chainMedia,
  loadChain,
  notFound,
  resolveReferences,
} from './response-chain';
import { RESPONSE_STORE, ResponseStore, StoredResponse } from './response-store';

export interface InputItemsQuery {
  after?: string;
  limit?: string;
  order?: string;
}

/**
 * OpenAI's Responses API on Gemini: the conversation (stored turns, item references, the new
 * input) is mapped to one Gemini request, dispatched over the pool, and sequenced back into
 * Responses items and events; finished responses are kept for `previous_response_id`.
 */
@Injectable()
export class ResponsesService {
  private readonly logger = new Logger('Responses');
  private readonly leftOutTools = new ToolTypeLog(this.logger);

  constructor(
    private readonly dispatcher: UpstreamDispatcher,
    @Inject(RESPONSE_STORE) private readonly store: ResponseStore,
    private readonly translation: ResponsesTranslationService,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
    @Inject(serverConfig.KEY) private readonly server: ConfigType<typeof serverConfig>,
    private readonly aliases: ModelAliasesService,
  ) {}

  async create(req: ResponseCreateRequest, requestContext: RequestContext): Promise<Reply> {
    const conversation = await this.conversation(req);
    const { mapped, media } = await this.map(req, conversation, requestContext);
    const sequencer = this.translation.createSequencer(
      responseSkeleton(req, newResponseId(), Math.floor(Date.now() / 1000)),
      mapped,
      req.include?.includes('reasoning.encrypted_content') ?? false,
    );
    const keep = (): Promise<void> =>
      req.store === false
        ? Promise.resolve()
        : this.store.put(
            {
              response: sequencer.result,
              input: conversation.input,
              ...(Object.keys(media).length > 0 ? { media } : {}),
            },
            conversation.chain.ids,
          );
    const dispatch = { model: mapped.model, body: mapped.request, context: requestContext };

    if (!req.stream) {
      sequencer.push(await this.dispatcher.generate(dispatch));
      sequencer.finish();
      await keep();
      return { kind: 'json', body: sequencer.result };
    }
    const events = this.dispatcher.stream(dispatch);
    return {
      kind: 'stream',
      frames: events.then((source) => eventFrames(source, sequencer, keep)),
      options: {
        heartbeatMs: this.config.heartbeatMs,
        errorFrame: (error) => failedFrames(sequencer, error),
      },
    };
  }

  async inputTokens(
    req: ResponseCreateRequest,
    requestContext: RequestContext,
  ): Promise<{ object: string; input_tokens: number }> {
    const { mapped } = await this.map(req, await this.conversation(req), requestContext);
    const { model, request } = mapped;
    const counted = await this.dispatcher.countTokens({
      model,
      body: {
        generateContentRequest: {
          model: `models/${model}`,
          contents: request.contents,
          ...(request.systemInstruction ? { systemInstruction: request.systemInstruction } : {}),
          ...(request.tools ? { tools: request.tools } : {}),
        },
      } as unknown as JsonObject,
      context: requestContext,
    });
    const tokens = typeof counted.totalTokens === 'number' ? counted.totalTokens : 0;
    return { object: 'response.input_tokens', input_tokens: tokens };
  }

  async retrieve(id: string, stream = false): Promise<ResponseObject> {
    if (stream) {
      // Responses are stored once finished; there is no event log to replay from.
      throw ApiError.badRequest(
        'stream=true is not supported when retrieving a response; retrieve it as JSON.',
        'stream',
      );
    }
    return (await this.stored(id)).response;
  }

  async delete(id: string): Promise<{ id: string; object: string; deleted: boolean }> {
    if (!(await this.store.delete(id))) throw notFound(id);
    return { id, object: 'response', deleted: true };
  }

  async inputItems(id: string, query: InputItemsQuery): Promise<object> {
    const { input } = await this.stored(id);
    const limit = query.limit === undefined ? 20 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw ApiError.badRequest('limit must be an integer from 1 to 100.', 'limit');
    }
    if (query.order !== undefined && query.order !== 'asc' && query.order !== 'desc') {
      throw ApiError.badRequest("order must be 'asc' or 'desc'.", 'order');
    }
    // OpenAI lists input items newest first unless asked otherwise.
    const ordered = query.order === 'asc' ? [...input] : [...input].reverse();
    const start = query.after ? ordered.findIndex((item) => item.id === query.after) + 1 : 0;
    if (query.after && start === 0) {
      throw ApiError.badRequest(`No input item '${query.after}' in response '${id}'.`, 'after');
    }
    const data = ordered.slice(start, start + limit);
    return {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
      has_more: start + limit < ordered.length,
    };
  }

  private async stored(id: string): Promise<StoredResponse> {
    const found = await this.store.get(id);
    if (!found) throw notFound(id);
    return found.stored;
  }

  /** The request's own items (references resolved), everything the model must see, and the turns before. */
  private async conversation(
    req: ResponseCreateRequest,
  ): Promise<{ input: InputItem[]; context: InputItem[]; chain: Chain }> {
    const chain = await loadChain(this.store, req.previous_response_id, {
      maxBytes: this.server.bodyLimitBytes,
      maxBytesName: `BODY_LIMIT (${this.server.bodyLimit})`,
    });
    const input = await resolveReferences(this.store, normaliseInput(req.input), chain);
    return { input, context: [...chainItems(chain), ...input], chain };
  }

  /**
   * Maps the conversation; media the chain's turns fetched are sent again from the store, and
   * what this turn fetches comes back for its stored turn to keep.
   */
  private async map(
    req: ResponseCreateRequest,
    { input, context, chain }: { input: InputItem[]; context: InputItem[]; chain: Chain },
    requestContext: RequestContext,
  ): Promise<{ mapped: MappedResponsesRequest; media: Record<string, FetchedMedia> }> {
    // MODEL_ALIASES first, as in every dialect: Codex may ask for its own model names.
    const aliased = { ...req, model: this.aliases.resolve(req.model) };
    const { mapped, media } = await this.translation.toGeminiRequest(
      aliased,
      { context, stored: context.length - input.length, storedMedia: chainMedia(chain) },
      requestContext,
    );
    this.leftOutTools.report(mapped.leftOutTools);
    return { mapped, media };
  }
}
