import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientContext } from '../http/client-context';
import { RequestContext } from '../request/request-context';
import { sendReply } from '../http/reply';
import type {
  OpenAIChatRequest,
  OpenAIEmbeddingsRequest,
  OpenAIEmbeddingsResponse,
} from '../translation/openai/openai-types';
import { findChatRequestProblem } from './dto/chat-request-rules';
import { findEmbeddingsRequestProblem } from './dto/embeddings-request-rules';
import { OpenAIBodyPipe } from './openai-body.pipe';
import { OpenAIService } from './openai.service';

/** OpenAI's `/v1` API: chat completions and embeddings, served by Gemini (models: SharedModelsController). */
@Controller('v1')
export class OpenAIController {
  constructor(private readonly openai: OpenAIService) {}

  /** One JSON answer or a stream of chunks, as `stream` asks: written to the response itself. */
  @Post('chat/completions')
  @HttpCode(200)
  async chatCompletions(
    @Body(new OpenAIBodyPipe(findChatRequestProblem)) body: OpenAIChatRequest,
    @ClientContext() context: RequestContext,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendReply(res, await this.openai.chatCompletion(body, context));
  }

  @Post('embeddings')
  @HttpCode(200)
  embeddings(
    @Body(new OpenAIBodyPipe(findEmbeddingsRequestProblem)) body: OpenAIEmbeddingsRequest,
    @ClientContext() context: RequestContext,
  ): Promise<OpenAIEmbeddingsResponse> {
    return this.openai.embeddings(body, context);
  }
}
