import type { ModelListFilter } from '../models/model-list-filter';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { Reply } from '../http/reply';
import { findModel } from '../models/model-catalogue';
import { CHAT_DONE_FRAME, chatChunkFrames, chatErrorFrame } from '../translation/openai/frames';
import { toOpenAIModel, toOpenAIModelList } from '../translation/openai/models';
import type {
  OpenAIChatRequest,
  OpenAIEmbeddingsRequest,
  OpenAIEmbeddingsResponse,
  OpenAIModel,
  OpenAIModelList,
} from '../translation/openai/openai-types';
import { OpenAITranslationService } from '../translation/openai/openai-translation.service';
import { RequestContext } from '../request/request-context';
import { UpstreamDispatcher } from '../upstream/dispatcher';
import type { JsonObject } from '../upstream/gemini-types';
import { ModelListService } from '../models/model-list.service';
import { ModelAliasesService } from '../models/model-aliases.service';

/** OpenAI's API on Gemini: requests are translated, dispatched over the pool, and translated back. */
@Injectable()
export class OpenAIService {
  constructor(
    private readonly translation: OpenAITranslationService,
    private readonly dispatcher: UpstreamDispatcher,
    private readonly models: ModelListService,
    private readonly aliases: ModelAliasesService,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
  ) {}

  async chatCompletion(req: OpenAIChatRequest, context: RequestContext): Promise<Reply> {
    const { model, request } = await this.translation.toGeminiRequest(this.aliased(req), context);
    if (!req.stream) {
      const response = await this.dispatcher.generate({ model, body: request, context });
      return {
        kind: 'json',
        body: this.translation.toChatCompletion(response, { model: req.model }),
      };
    }
    const mapper = this.translation.createStreamMapper({
      model: req.model,
      includeUsage: req.stream_options?.include_usage === true,
    });
    const events = this.dispatcher.stream({ model, body: request, context });
    return {
      kind: 'stream',
      frames: events.then((source) => chatChunkFrames(source, mapper)),
      options: {
        heartbeatMs: this.config.heartbeatMs,
        trailer: CHAT_DONE_FRAME,
        errorFrame: chatErrorFrame,
      },
    };
  }

  async embeddings(
    req: OpenAIEmbeddingsRequest,
    context: RequestContext,
  ): Promise<OpenAIEmbeddingsResponse> {
    const { model, batches } = this.translation.toEmbeddingsRequest(this.aliased(req));
    const responses: JsonObject[] = [];
    // One batch after another: Google counts them against the same per-minute quota.
    for (const batch of batches) {
      responses.push(
        await this.dispatcher.embed('batchEmbedContents', {
          model,
          body: batch as unknown as JsonObject,
          context,
        }),
      );
    }
    return this.translation.toEmbeddingsResponse(responses, req);
  }

  async listModels(listed: ModelListFilter = () => true): Promise<OpenAIModelList> {
    const models = this.aliases.withAliases(await this.models.list());
    return toOpenAIModelList(models.filter((m) => listed(m.name)));
  }

  async getModel(id: string): Promise<OpenAIModel> {
    const model = findModel(this.aliases.withAliases(await this.models.list()), id);
    if (!model) {
      throw new ApiError({
        status: 404,
        kind: 'not_found',
        message: `The model '${id}' does not exist. GET /v1/models lists the models available.`,
        param: 'model',
        code: 'model_not_found',
      });
    }
    return toOpenAIModel(model);
  }

  /** MODEL_ALIASES applies before translation; answers still name the model the client asked for. */
  private aliased<T extends { model?: unknown }>(req: T): T {
    if (typeof req.model !== 'string') return req;
    const model = this.aliases.resolve(req.model);
    return model === req.model ? req : { ...req, model };
  }
}
