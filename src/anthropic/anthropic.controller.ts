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

  /** One JSON message or a stream of events, as `stream` asks: written to the response itself. */
  @Post()
  @HttpCode(200)
  async create(
    @Body(new AnthropicBodyPipe(createMessageRule)) body: AnthropicMessagesRequest,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendReply(res, await this.anthropic.createMessage(body, signal));
  }

  @Post('count_tokens')
  @HttpCode(200)
  countTokens(
    @Body(new AnthropicBodyPipe(countTokensRule)) body: AnthropicMessagesRequest,
    @ClientSignal() signal: AbortSignal,
  ): Promise<{ input_tokens: number }> {
    return this.anthropic.countTokens(body, signal);
  }
}

const pageSize = (limit: string | undefined): number | undefined =>
  limit === undefined || !/^\d+$/.test(limit) ? undefined : Number(limit);

/** Express's `next`, as a route that passes a request on sees it. */
type PassOn = (error?: unknown) => void;

/**
 * `GET /v1/models` in Anthropic's shape for requests that carry `anthropic-version`; any other
 * request passes to the OpenAI route of the same path (registered after this one). Passing on
 * needs `next`, so these two write their JSON themselves.
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
    @Res() res: ServerResponse,
    @Next() next: PassOn,
  ): Promise<void> {
    if (version === undefined) return next();
    writeJson(
      res,
      200,
      await this.anthropic.listModels({ limit: pageSize(limit), afterId, beforeId }),
    );
  }

  @Get(':id')
  async get(
    @Headers('anthropic-version') version: string | undefined,
    @Param('id') id: string,
    @Res() res: ServerResponse,
    @Next() next: PassOn,
  ): Promise<void> {
    if (version === undefined) return next();
    writeJson(res, 200, await this.anthropic.getModel(id));
  }
}
