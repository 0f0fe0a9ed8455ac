import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { Reply } from '../http/reply';
import { RequestRulesFactory } from '../translation/request-rules';
import { ResponseEventSequencer } from '../translation/responses/event-sequencer';
import { eventFrames, failedFrames } from '../translation/responses/frames';
import { normaliseInput } from '../translation/responses/input-items';
import { ReasoningSeal } from '../translation/responses/reasoning-seal';
import {
  MappedResponsesRequest,
  toGeminiResponsesRequest,
} from '../translation/responses/request-mapper';
import { newResponseId, responseSkeleton } from '../translation/responses/response-object';
import { ToolTypeLog } from '../translation/responses/tool-type-log';
import type {
  InputItem,
  ResponseCreateRequest,
  ResponseObject,
} from '../translation/responses/responses-types';
import {
  THOUGHT_SIGNATURE_STORE,
  ThoughtSignatureStore,
} from '../translation/thought-signature-store';
import { ModelAliasesService } from '../models/model-aliases.service';
import { UpstreamDispatcher } from '../upstream/dispatcher';
import type { JsonObject } from '../upstream/gemini-types';
import { RESPONSE_STORE, ResponseStore, StoredResponse } from './response-store';

export const REASONING_SEAL = Symbol('REASONING_SEAL');

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
    private readonly rules: RequestRulesFactory,
    @Inject(THOUGHT_SIGNATURE_STORE) private readonly signatures: ThoughtSignatureStore,
    @Inject(REASONING_SEAL) private readonly seal: ReasoningSeal,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
    private readonly aliases: ModelAliasesService,
  ) {}

  async create(req: ResponseCreateRequest, signal: AbortSignal): Promise<Reply> {
    const { input, context } = await this.conversation(req);
    const mapped = await this.map(req, { input, context }, signal);
    const sequencer = new ResponseEventSequencer({
      response: responseSkeleton(req, newResponseId(), Math.floor(Date.now() / 1000)),
      tools: mapped.tools,
      signatures: this.signatures,
      seal: req.include?.includes('reasoning.encrypted_content')
        ? (signatures) => this.seal.seal({ model: mapped.model, signatures })
        : undefined,
    });
    const keep = (): Promise<void> =>
      req.store === false
        ? Promise.resolve()
        : this.store.put({ response: sequencer.result, input, context });
    const dispatch = { model: mapped.model, body: mapped.request, signal };

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
    signal: AbortSignal,
  ): Promise<{ object: string; input_tokens: number }> {
    const { model, request } = await this.map(req, await this.conversation(req), signal);
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
      signal,
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
    const stored = await this.store.get(id);
    if (!stored) throw notFound(id);
    return stored;
  }

  /** The request's own items (references resolved) and everything the model must see. */
  private async conversation(
    req: ResponseCreateRequest,
  ): Promise<{ input: InputItem[]; context: InputItem[] }> {
    const previous = req.previous_response_id
      ? await this.stored(req.previous_response_id)
      : undefined;
    const input = await Promise.all(
      normaliseInput(req.input).map(async (item, i) => {
        if (item.type !== 'item_reference') return item;
        const found = typeof item.id === 'string' ? await this.store.findItem(item.id) : undefined;
        if (!found) {
          throw ApiError.badRequest(
            `input[${i}] references item ${JSON.stringify(item.id)}, which is not stored (store:false responses keep nothing).`,
            `input[${i}].id`,
          );
        }
        return found as InputItem;
      }),
    );
    const before: InputItem[] = previous
      ? [...previous.context, ...(previous.response.output as unknown as InputItem[])]
      : [];
    return { input, context: [...before, ...input] };
  }

  private async map(
    req: ResponseCreateRequest,
    { input, context }: { input: InputItem[]; context: InputItem[] },
    signal: AbortSignal,
  ): Promise<MappedResponsesRequest> {
    // MODEL_ALIASES first, as in every dialect: Codex may ask for its own model names.
    const aliased = { ...req, model: this.aliases.resolve(req.model) };
    await this.signatures.loadFor(context);
    const rules = this.rules.forRequest(signal);
    const mapped = await toGeminiResponsesRequest(
      aliased,
      context,
      { rules, signatures: this.signatures, seal: this.seal },
      context.length - input.length,
    );
    // Later turns replay this request's media; kept only where a later turn can come.
    if (req.store !== false) rules.keepFetchedMedia();
    this.leftOutTools.report(mapped.leftOutTools);
    return mapped;
  }
}

function notFound(id: string): ApiError {
  return new ApiError({
    status: 404,
    kind: 'not_found',
    message: `No response with id '${id}' found (stored responses expire after RESPONSES_TTL_S).`,
    param: 'response_id',
  });
}
