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
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { clientAbortSignal } from '../http/abort-signal';
import { sendReply } from '../http/reply';
import type { AnthropicMessagesRequest } from '../translation/anthropic/anthropic-types';
import { AnthropicBodyPipe } from './anthropic-body.pipe';
import { AnthropicErrorFilter } from './anthropic-error.filter';
import { AnthropicService } from './anthropic.service';
import { countTokensRule, createMessageRule } from './dto/messages-request.rules';
import { ModelsErrorFilter } from './models-error.filter';

/** Anthropic's Messages API (Claude Code calls it with `?beta=true`, which changes nothing). */
@Controller('v1/messages')
@UseFilters(AnthropicErrorFilter)
export class AnthropicController {
  constructor(private readonly anthropic: AnthropicService) {}

  @Post()
  @HttpCode(200)
  async create(
    @Body(new AnthropicBodyPipe(createMessageRule)) body: AnthropicMessagesRequest,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.anthropic.createMessage(body, clientAbortSignal(req, res)));
  }

  @Post('count_tokens')
  @HttpCode(200)
  async countTokens(
    @Body(new AnthropicBodyPipe(countTokensRule)) body: AnthropicMessagesRequest,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.anthropic.countTokens(body, clientAbortSignal(req, res)));
  }
}

const pageSize = (limit: string | undefined): number | undefined =>
  limit === undefined || !/^\d+$/.test(limit) ? undefined : Number(limit);

/**
 * `GET /v1/models` in Anthropic's shape for requests that carry `anthropic-version`; any other
 * request passes to the OpenAI route of the same path (registered after this one).
 */
@Controller('v1/models')
@UseFilters(ModelsErrorFilter)
export class AnthropicModelsController {
  constructor(private readonly anthropic: AnthropicService) {}

  @Get()
  async list(
    @Headers('anthropic-version') version: string | undefined,
    @Query('limit') limit: string | undefined,
    @Query('after_id') afterId: string | undefined,
    @Query('before_id') beforeId: string | undefined,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> {
    if (version === undefined) return next();
    await sendReply(
      res,
      await this.anthropic.listModels({ limit: pageSize(limit), afterId, beforeId }),
    );
  }

  @Get(':id')
  async get(
    @Headers('anthropic-version') version: string | undefined,
    @Param('id') id: string,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> {
    if (version === undefined) return next();
    await sendReply(res, await this.anthropic.getModel(id));
  }
}
