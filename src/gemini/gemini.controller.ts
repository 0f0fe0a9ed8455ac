import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Next,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientSignal } from '../http/abort-signal';
import { writeJson } from '../http/json-response';
import { sendReply } from '../http/reply';
import type { GeminiModel } from '../models/model-catalogue';
import { GeminiService } from './gemini.service';
import { GoogleErrorFilter } from './google-error.filter';
import type { ModelPage } from './model-page';

/** `/v1beta/models/{model}:{action}` and the model list, as Google serves them. */
@Controller('v1beta/models')
@UseFilters(GoogleErrorFilter)
export class GeminiController {
  constructor(private readonly gemini: GeminiService) {}

  @Get()
  list(
    @Query('pageSize') pageSize: string | undefined,
    @Query('pageToken') pageToken: string | undefined,
  ): Promise<ModelPage<GeminiModel>> {
    return this.gemini.listModels(pageSize, pageToken);
  }

  @Get(':model')
  get(@Param('model') model: string): Promise<GeminiModel> {
    return this.gemini.getModel(model);
  }

  /** JSON for most actions, a stream for `streamGenerateContent`: written to the response itself. */
  @Post(':modelAction')
  @HttpCode(200)
  async act(
    @Param('modelAction') modelAction: string,
    @Body() body: unknown,
    @Query('alt') alt: string | undefined,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendReply(res, await this.gemini.call(modelAction, body, alt, signal));
  }
}

/** Express's `next`, as a route that passes a request on sees it. */
type PassOn = (error?: unknown) => void;

/**
 * Google serves the same API under `/v1`, which `@google/genai` and google-genai call with
 * `apiVersion: 'v1'`. `POST /v1/models/{model}:{action}` belongs to no other dialect. `GET
 * /v1/models[/{id}]` is OpenAI's (and Anthropic's, registered before this): Google's SDKs name
 * themselves in `x-goog-api-client`, so only those requests get Google's shape here; any other
 * passes to the OpenAI route of the same path (registered after this one).
 */
@Controller('v1/models')
@UseFilters(GoogleErrorFilter)
export class GeminiV1Controller {
  constructor(private readonly gemini: GeminiService) {}

  @Get()
  async list(
    @Headers('x-goog-api-client') googleClient: string | undefined,
    @Query('pageSize') pageSize: string | undefined,
    @Query('pageToken') pageToken: string | undefined,
    @Res() res: ServerResponse,
    @Next() next: PassOn,
  ): Promise<void> {
    if (googleClient === undefined) return next();
    writeJson(res, 200, await this.gemini.listModels(pageSize, pageToken));
  }

  @Get(':model')
  async get(
    @Headers('x-goog-api-client') googleClient: string | undefined,
    @Param('model') model: string,
    @Res() res: ServerResponse,
    @Next() next: PassOn,
  ): Promise<void> {
    if (googleClient === undefined) return next();
    writeJson(res, 200, await this.gemini.getModel(model));
  }

  @Post(':modelAction')
  @HttpCode(200)
  async act(
    @Param('modelAction') modelAction: string,
    @Body() body: unknown,
    @Query('alt') alt: string | undefined,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendReply(res, await this.gemini.call(modelAction, body, alt, signal));
  }
}
