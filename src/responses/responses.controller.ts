import {
  Body,
  Controller,
  Delete,
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
import { OpenAIErrorFilter } from '../openai/openai-error.filter';
import type { ResponseCreateRequest } from '../translation/responses/responses-types';
import { ResponsesRequestPipe } from './dto/responses-request.pipe';
import { InputItemsQuery, ResponsesService } from './responses.service';

/** OpenAI's Responses API (`/v1/responses`), in OpenAI's error shape. */
@Controller('v1/responses')
@UseFilters(OpenAIErrorFilter)
export class ResponsesController {
  constructor(private readonly responses: ResponsesService) {}

  @Post()
  @HttpCode(200)
  async create(
    @Body(ResponsesRequestPipe) body: ResponseCreateRequest,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.responses.create(body, clientAbortSignal(req, res)));
  }

  @Post('input_tokens')
  @HttpCode(200)
  async inputTokens(
    @Body(ResponsesRequestPipe) body: ResponseCreateRequest,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.responses.inputTokens(body, clientAbortSignal(req, res)));
  }

  @Get(':id')
  async retrieve(
    @Param('id') id: string,
    @Query('stream') stream: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.responses.retrieve(id, stream === 'true'));
  }

  @Delete(':id')
  @HttpCode(200)
  async delete(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await sendReply(res, await this.responses.delete(id));
  }

  @Get(':id/input_items')
  async inputItems(
    @Param('id') id: string,
    @Query() query: InputItemsQuery,
    @Res() res: Response,
  ): Promise<void> {
    await sendReply(res, await this.responses.inputItems(id, query));
  }
}
