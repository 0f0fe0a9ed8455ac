import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { Reply } from '../http/reply';
import { GoogleJsonArrayFrames, googleSseErrorFrame, googleSseFrames } from './google-frames';
import { modelNameProblem } from '../models/model-names';
import { applyModelVariant } from '../models/model-variant';
import { RequestContext } from '../request/request-context';
import { UpstreamDispatcher } from '../upstream/dispatcher';
import { GeminiRequest, GeminiResponse, JsonObject } from '../upstream/gemini-types';
import { ModelListService } from '../models/model-list.service';
import { ModelAliasesService } from '../models/model-aliases.service';
import { findModel, GeminiModel } from '../models/model-catalogue';
import type { ModelListFilter } from '../models/model-list-filter';
import { ModelPage, pageOfModels } from './model-page';

const ACTIONS = [
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
] as const;
type Action = (typeof ACTIONS)[number];

/** The native Gemini API: bodies pass through with every field kept, on either backend. */
@Injectable()
export class GeminiService {
  constructor(
    private readonly dispatcher: UpstreamDispatcher,
    private readonly models: ModelListService,
    private readonly aliases: ModelAliasesService,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
  ) {}

  async call(
    modelAction: string,
    body: unknown,
    alt: string | undefined,
    context: RequestContext,
  ): Promise<Reply> {
    const parsed = parseModelAction(modelAction);
    const { action } = parsed;
    const model = this.aliases.resolve(parsed.model);
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw ApiError.badRequest('The request body must be a JSON object.');
    }
    const json = body as JsonObject;
    switch (action) {
      case 'generateContent': {
        const { model: upstream, request } = applyModelVariant(model, json as GeminiRequest);
        return {
          kind: 'json-bytes',
          body: await this.dispatcher.generateBytes({ model: upstream, body: request, context }),
        };
      }
      case 'streamGenerateContent': {
        const { model: upstream, request } = applyModelVariant(model, json as GeminiRequest);
        const stream = this.dispatcher.stream({ model: upstream, body: request, context });
        return alt === 'sse' ? this.sse(stream) : this.jsonArray(stream);
      }
      case 'countTokens':
        return {
          kind: 'json',
          body: await this.dispatcher.countTokens({
            model: stripVariant(model),
            body: json,
            context,
          }),
        };
      case 'embedContent':
      case 'batchEmbedContents':
        return {
          kind: 'json',
          body: await this.dispatcher.embed(action, { model, body: json, context }),
        };
    }
  }

  async listModels(
    pageSize: string | undefined,
    pageToken: string | undefined,
    listed: ModelListFilter = () => true,
  ): Promise<ModelPage<GeminiModel>> {
    const models = this.aliases.withAliases(await this.models.list());
    return pageOfModels(
      models.filter((m) => listed(m.name)),
      pageSize,
      pageToken,
    );
  }

  async getModel(id: string): Promise<GeminiModel> {
    const problem = modelNameProblem(id.replace(/^models\//, ''));
    if (problem) throw ApiError.badRequest(`The model in the path ${problem}`);
    const model = findModel(this.aliases.withAliases(await this.models.list()), id);
    if (!model) {
      throw new ApiError({
        status: 404,
        kind: 'not_found',
        message: `Model ${id} is not found.`,
        googleStatus: 'NOT_FOUND',
      });
    }
    return model;
  }

  private sse(stream: Promise<AsyncIterable<GeminiResponse>>): Reply {
    return {
      kind: 'stream',
      frames: stream.then(googleSseFrames),
      options: { heartbeatMs: this.config.heartbeatMs, errorFrame: googleSseErrorFrame },
    };
  }

  /** Without `alt=sse` Google streams one JSON array, element by element. */
  private jsonArray(stream: Promise<AsyncIterable<GeminiResponse>>): Reply {
    const array = new GoogleJsonArrayFrames();
    return {
      kind: 'stream',
      frames: stream.then((events) => array.frames(events)),
      options: {
        heartbeatMs: this.config.heartbeatMs,
        contentType: GoogleJsonArrayFrames.CONTENT_TYPE,
        heartbeat: GoogleJsonArrayFrames.HEARTBEAT,
        trailer: GoogleJsonArrayFrames.TRAILER,
        errorFrame: (error) => array.errorFrame(error),
      },
    };
  }
}

/** Express has already decoded the path segment once; a second decode would read `%25E0` as `%E0`. */
function parseModelAction(modelAction: string): { model: string; action: Action } {
  const colon = modelAction.lastIndexOf(':');
  const model = (colon >= 0 ? modelAction.slice(0, colon) : modelAction).replace(/^models\//, '');
  const action = colon >= 0 ? modelAction.slice(colon + 1) : '';
  if (!model)
    throw ApiError.badRequest('The path must name a model: /v1beta/models/{model}:{action}.');
  const problem = modelNameProblem(model);
  if (problem) throw ApiError.badRequest(`The model in the path ${problem}`);
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new ApiError({
      status: 404,
      kind: 'not_found',
      message: `Unsupported action "${shorten(action)}". Supported: ${ACTIONS.join(', ')}.`,
      googleStatus: 'NOT_FOUND',
    });
  }
  return { model, action: action as Action };
}

function shorten(text: string): string {
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

function stripVariant(model: string): string {
  return applyModelVariant(model, { contents: [] }).model;
}
