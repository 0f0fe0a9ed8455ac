import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import type { Reply } from '../http/reply';
import { ModelAliasesService } from '../models/model-aliases.service';
import { findModel } from '../models/model-catalogue';
import { AnthropicTranslationService } from '../translation/anthropic/anthropic-translation.service';
import type { AnthropicMessagesRequest } from '../translation/anthropic/anthropic-types';
import type { ModelListFilter } from '../models/model-list-filter';
import { ModelPage, toAnthropicModel, toAnthropicModelList } from '../translation/anthropic/models';
import { eventFrames, PING_FRAME, streamErrorFrame } from '../translation/anthropic/frames';
import { RequestContext } from '../request/request-context';
import { UpstreamDispatcher } from '../upstream/dispatcher';
import type { GeminiContent, GeminiRequest, JsonObject } from '../upstream/gemini-types';
import { ModelListService } from '../models/model-list.service';

/** Anthropic's Messages API on Gemini: translated, dispatched over the pool, translated back. */
@Injectable()
export class AnthropicService {
  constructor(
    private readonly translation: AnthropicTranslationService,
    private readonly dispatcher: UpstreamDispatcher,
    private readonly models: ModelListService,
    private readonly aliases: ModelAliasesService,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
  ) {}

  async createMessage(req: AnthropicMessagesRequest, context: RequestContext): Promise<Reply> {
    const asked = String(req.model);
    const { model, request, singleToolCall } = await this.translate(req, context);
    const ctx = { model: asked, singleToolCall };
    if (req.stream !== true) {
      const response = await this.dispatcher.generate({ model, body: request, context });
      return { kind: 'json', body: this.translation.toAnthropicMessage(response, ctx) };
    }
    const sequencer = this.translation.createSequencer(ctx);
    const events = this.dispatcher.stream({ model, body: request, context });
    return {
      kind: 'stream',
      frames: events.then((source) => eventFrames(source, sequencer)),
      options: {
        heartbeatMs: this.config.heartbeatMs,
        heartbeat: PING_FRAME,
        errorFrame: streamErrorFrame,
      },
    };
  }

  /**
   * Counted by Gemini's countTokens on the translated request. Code Assist counts `contents` only,
   * so the system prompt and the tool declarations ride along as a first user turn: Claude Code
   * decides when to compact from this number, and leaving them out would make it run low.
   */
  async countTokens(
    req: AnthropicMessagesRequest,
    context: RequestContext,
  ): Promise<{ input_tokens: number }> {
    const { model, request } = await this.translate(req, context);
    const counted = await this.dispatcher.countTokens({
      model,
      body: { contents: countedContents(request) } as unknown as JsonObject,
      context,
    });
    const total = typeof counted.totalTokens === 'number' ? counted.totalTokens : 0;
    return { input_tokens: total };
  }

  async listModels(
    page: ModelPage,
    listed: ModelListFilter = () => true,
  ): Promise<ReturnType<typeof toAnthropicModelList>> {
    const models = this.aliases.withAliases(await this.models.list());
    return toAnthropicModelList(
      models.filter((m) => listed(m.name)),
      page,
    );
  }

  async getModel(id: string): Promise<ReturnType<typeof toAnthropicModel>> {
    const model = findModel(this.aliases.withAliases(await this.models.list()), id);
    if (!model) throw ApiError.notFound(`model: ${id}`);
    return toAnthropicModel(model);
  }

  /** MODEL_ALIASES applies before translation; answers still name the model the client asked for. */
  private translate(req: AnthropicMessagesRequest, context: RequestContext) {
    const model = this.aliases.resolve(String(req.model));
    return this.translation.toGeminiRequest({ ...req, model }, context);
  }
}

function countedContents(request: GeminiRequest): GeminiContent[] {
  const preamble = [...(request.systemInstruction?.parts ?? [])];
  if (request.tools?.length) preamble.push({ text: JSON.stringify(request.tools) });
  return preamble.length > 0
    ? [{ role: 'user', parts: preamble }, ...request.contents]
    : request.contents;
}
