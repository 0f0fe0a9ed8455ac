import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientAbortSignal } from '../http/abort-signal';
import { sendReply } from '../http/reply';
import { GeminiService } from './gemini.service';
import { GoogleErrorFilter } from './google-error.filter';

/** `/v1beta/models/{model}:{action}` and the model list, as Google serves them. */
@Controller('v1beta/models')
@UseFilters(GoogleErrorFilter)
export class GeminiController {
  constructor(private readonly gemini: GeminiService) {}

  @Get()
  async list(@Res() res: Response): Promise<void> {
    await sendReply(res, await this.gemini.listModels());
  }

  @Get(':model')
  async get(@Param('model') model: string, @Res() res: Response): Promise<void> {
    await sendReply(res, await this.gemini.getModel(model));
  }

  @Post(':modelAction')
  @HttpCode(200)
  async act(
    @Param('modelAction') modelAction: string,
    @Body() body: unknown,
    @Query('alt') alt: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(
      res,
      await this.gemini.call(modelAction, body, alt, clientAbortSignal(req, res)),
    );
  }
}
