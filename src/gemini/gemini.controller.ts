import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request } from 'express';
import type { ServerResponse } from 'node:http';
import { BATCH_ACTION, ResourceActions } from '../files/resource-actions';
import { sendRelayed } from '../files/relayed';
import { ClientContext } from '../http/client-context';
import { RequestContext } from '../request/request-context';
import { sendReply } from '../http/reply';
import type { GeminiModel } from '../models/model-catalogue';
import { modelListFilter } from '../models/model-list-filter';
import { GeminiService } from './gemini.service';
import type { ModelPage } from './model-page';

/** `/v1beta/models/{model}:{action}` and the model list, as Google serves them. */
@Controller('v1beta/models')
export class GeminiController {
  constructor(
    private readonly gemini: GeminiService,
    private readonly batches: ResourceActions,
  ) {}

  @Get()
  list(
    @Query('pageSize') pageSize: string | undefined,
    @Query('pageToken') pageToken: string | undefined,
    @Req() req: Request,
  ): Promise<ModelPage<GeminiModel>> {
    return this.gemini.listModels(pageSize, pageToken, modelListFilter(req));
  }

  @Get(':model')
  get(@Param('model') model: string): Promise<GeminiModel> {
    return this.gemini.getModel(model);
  }

  /**
   * JSON for most actions, a stream for `streamGenerateContent`: written to the response itself.
   * `batchGenerateContent` creates a batch job, a stateful resource of one project (src/files/):
   * one route for every action, so that a model call crosses Nest's pipeline (guards, body) once.
   */
  @Post(':modelAction')
  @HttpCode(200)
  async act(
    @Param('modelAction') modelAction: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @ClientContext() context: RequestContext,
    @Res() res: ServerResponse,
  ): Promise<void> {
    if (modelAction.endsWith(BATCH_ACTION)) {
      const created = this.batches.createBatch(modelAction, query, body, context.signal);
      return sendRelayed(res, await created);
    }
    const alt = typeof query.alt === 'string' ? query.alt : undefined;
    await sendReply(res, await this.gemini.call(modelAction, body, alt, context));
  }
}

/**
 * Google serves the same API under `/v1`, which `@google/genai` and google-genai call with
 * `apiVersion: 'v1'`. `POST /v1/models/{model}:{action}` belongs to no other dialect; `GET
 * /v1/models[/{id}]` is shared with OpenAI and Anthropic (SharedModelsController).
 */
@Controller('v1/models')
export class GeminiV1Controller {
  constructor(private readonly gemini: GeminiService) {}

  @Post(':modelAction')
  @HttpCode(200)
  async act(
    @Param('modelAction') modelAction: string,
    @Body() body: unknown,
    @Query('alt') alt: string | undefined,
    @ClientContext() context: RequestContext,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendReply(res, await this.gemini.call(modelAction, body, alt, context));
  }
}
