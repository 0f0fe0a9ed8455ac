import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientAbortSignal } from '../http/abort-signal';
import { sendReply } from '../http/reply';
import type { OpenAIChatRequest, OpenAIEmbeddingsRequest } from '../translation/openai-types';
import { findChatRequestProblem } from './dto/chat-request-rules';
import { findEmbeddingsRequestProblem } from './dto/embeddings-request-rules';
import { OpenAIBodyPipe } from './openai-body.pipe';
import { OpenAIErrorFilter } from './openai-error.filter';
import { OpenAIService } from './openai.service';

/** OpenAI's `/v1` API: chat completions, models and embeddings, served by Gemini. */
@Controller('v1')
@UseFilters(OpenAIErrorFilter)
export class OpenAIController {
  constructor(private readonly openai: OpenAIService) {}

  @Post('chat/completions')
  @HttpCode(200)
  async chatCompletions(
    @Body(new OpenAIBodyPipe(findChatRequestProblem)) body: OpenAIChatRequest,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.openai.chatCompletion(body, clientAbortSignal(req, res)));
  }

  @Get('models')
  async listModels(@Res() res: Response): Promise<void> {
    await sendReply(res, await this.openai.listModels());
  }

  @Get('models/:id')
  async getModel(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await sendReply(res, await this.openai.getModel(id));
  }

  @Post('embeddings')
  @HttpCode(200)
  async embeddings(
    @Body(new OpenAIBodyPipe(findEmbeddingsRequestProblem)) body: OpenAIEmbeddingsRequest,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.openai.embeddings(body, clientAbortSignal(req, res)));
  }
}
