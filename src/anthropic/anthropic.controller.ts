import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientContext } from '../http/client-context';
import { RequestContext } from '../request/request-context';
import { sendReply } from '../http/reply';
import type { AnthropicMessagesRequest } from '../translation/anthropic/anthropic-types';
import { AnthropicBodyPipe } from './anthropic-body.pipe';
import { AnthropicService } from './anthropic.service';
import { countTokensRule, createMessageRule } from './dto/messages-request.rules';

/** Anthropic's Messages API (Claude Code calls it with `?beta=true`, which changes nothing). */
@Controller('v1/messages')
export class AnthropicController {
  constructor(private readonly anthropic: AnthropicService) {}

  /** One JSON message or a stream of events, as `stream` asks: written to the response itself. */
  @Post()
  @HttpCode(200)
  async create(
    @Body(new AnthropicBodyPipe(createMessageRule)) body: AnthropicMessagesRequest,
    @ClientContext() context: RequestContext,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendReply(res, await this.anthropic.createMessage(body, context));
  }

  @Post('count_tokens')
  @HttpCode(200)
  countTokens(
    @Body(new AnthropicBodyPipe(countTokensRule)) body: AnthropicMessagesRequest,
    @ClientContext() context: RequestContext,
  ): Promise<{ input_tokens: number }> {
    return this.anthropic.countTokens(body, context);
  }
}
