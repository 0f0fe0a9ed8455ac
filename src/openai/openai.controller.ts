import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UsePipes,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientAbortSignal } from '../http/abort-signal';
import { sendReply } from '../http/reply';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import { EmbeddingsRequestDto } from './dto/embeddings-request.dto';
import { OpenAIErrorFilter } from './openai-error.filter';
import { OpenAIValidationPipe } from './openai-validation.pipe';
import { OpenAIService } from './openai.service';

/** OpenAI's `/v1` API: chat completions, models and embeddings, served by Gemini. */
@Controller('v1')
@UseFilters(OpenAIErrorFilter)
@UsePipes(new OpenAIValidationPipe())
export class OpenAIController {
  constructor(private readonly openai: OpenAIService) {}

  @Post('chat/completions')
  @HttpCode(200)
  async chatCompletions(
    @Body() body: ChatCompletionRequestDto,
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
    @Body() body: EmbeddingsRequestDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.openai.embeddings(body, clientAbortSignal(req, res)));
  }
}
