import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { toErrorFacts } from '../errors/error-facts';
import type { Reply } from '../http/reply';
import { ModelAliasesService } from '../models/model-aliases.service';
import { findModel } from '../models/model-catalogue';
import { AnthropicTranslationService } from '../translation/anthropic/anthropic-translation.service';
import type {
  AnthropicMessagesRequest,
  AnthropicStreamEvent,
} from '../translation/anthropic/anthropic-types';
import { ModelPage, toAnthropicModel, toAnthropicModelList } from '../translation/anthropic/models';
import type { AnthropicStreamSequencer } from '../translation/anthropic/stream-sequencer';
import { UpstreamDispatcher } from '../upstream/dispatcher';
import type {
  GeminiContent,
  GeminiRequest,
  GeminiResponse,
  JsonObject,
} from '../upstream/gemini-types';
import { ModelListService } from '../models/model-list.service';
import { errorEvent, toAnthropicError } from '../errors/anthropic-errors';

/** What Anthropic sends while the model is silent; its SDK skips it. */
const PING = eventFrame({ type: 'ping' });

function eventFrame(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

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

  async createMessage(req: AnthropicMessagesRequest, signal: AbortSignal): Promise<Reply> {
    const asked = String(req.model);
    const { model, request, singleToolCall } = await this.translate(req);
    const ctx = { model: asked, singleToolCall };
    if (req.stream !== true) {
      const response = await this.dispatcher.generate({ model, body: request, signal });
      return { kind: 'json', body: this.translation.toAnthropicMessage(response, ctx) };
    }
    const sequencer = this.translation.createSequencer(ctx);
    const events = this.dispatcher.stream({ model, body: request, signal });
    return {
      kind: 'stream',
      frames: events.then((source) => eventFrames(source, sequencer)),
      options: {
        heartbeatMs: this.config.heartbeatMs,
        heartbeat: PING,
        errorFrame: (error) => errorEvent(toAnthropicError(toErrorFacts(error)).body),
      },
    };
  }

  /**
   * Counted by Gemini's countTokens on the translated request. Code Assist counts `contents` only,
   * so the system prompt and the tool declarations ride along as a first user turn: Claude Code
   * decides when to compact from this number, and leaving them out would make it run low.
   */
  async countTokens(req: AnthropicMessagesRequest, signal: AbortSignal): Promise<Reply> {
    const { model, request } = await this.translate(req);
    const counted = await this.dispatcher.countTokens({
      model,
      body: { contents: countedContents(request) } as unknown as JsonObject,
      signal,
    });
    const total = typeof counted.totalTokens === 'number' ? counted.totalTokens : 0;
    return { kind: 'json', body: { input_tokens: total } };
  }

  async listModels(page: ModelPage): Promise<Reply> {
    const models = this.aliases.withAliases(await this.models.list());
    return { kind: 'json', body: toAnthropicModelList(models, page) };
  }

  async getModel(id: string): Promise<Reply> {
    const model = findModel(this.aliases.withAliases(await this.models.list()), id);
    if (!model) throw ApiError.notFound(`model: ${id}`);
    return { kind: 'json', body: toAnthropicModel(model) };
  }

  /** MODEL_ALIASES applies before translation; answers still name the model the client asked for. */
  private translate(req: AnthropicMessagesRequest) {
    const model = this.aliases.resolve(String(req.model));
    return this.translation.toGeminiRequest({ ...req, model });
  }
}

function countedContents(request: GeminiRequest): GeminiContent[] {
  const preamble = [...(request.systemInstruction?.parts ?? [])];
  if (request.tools?.length) preamble.push({ text: JSON.stringify(request.tools) });
  return preamble.length > 0
    ? [{ role: 'user', parts: preamble }, ...request.contents]
    : request.contents;
}

/** Gemini's events → Anthropic's event frames, each written as soon as its event arrives. */
async function* eventFrames(
  source: AsyncIterable<GeminiResponse>,
  sequencer: AnthropicStreamSequencer,
): AsyncGenerator<string> {
  let first = true;
  for await (const chunk of source) {
    for (const event of sequencer.map(chunk)) {
      yield eventFrame(event);
      // Anthropic pings right after message_start; proxies in between see the stream is alive.
      if (first && event.type === 'message_start') yield PING;
      first = false;
    }
  }
  for (const event of sequencer.finish()) yield eventFrame(event);
}
