import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientSignal } from '../http/abort-signal';
import { sendReply } from '../http/reply';
import type { GeminiModel } from '../models/model-catalogue';
import { GeminiService } from './gemini.service';
import { GoogleErrorFilter } from './google-error.filter';

/** `/v1beta/models/{model}:{action}` and the model list, as Google serves them. */
@Controller('v1beta/models')
@UseFilters(GoogleErrorFilter)
export class GeminiController {
  constructor(private readonly gemini: GeminiService) {}

  @Get()
  list(): Promise<{ models: GeminiModel[] }> {
    return this.gemini.listModels();
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
