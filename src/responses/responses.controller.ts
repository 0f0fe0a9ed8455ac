import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientContext } from '../http/client-context';
import { RequestContext } from '../request/request-context';
import { sendReply } from '../http/reply';
import type {
  ResponseCreateRequest,
  ResponseObject,
} from '../translation/responses/responses-types';
import { ResponsesRequestPipe } from './dto/responses-request.pipe';
import { InputItemsQuery, ResponsesService } from './responses.service';

/** OpenAI's Responses API (`/v1/responses`), in OpenAI's error shape. */
@Controller('v1/responses')
export class ResponsesController {
  constructor(private readonly responses: ResponsesService) {}

  /** One JSON response or a stream of events, as `stream` asks: written to the response itself. */
  @Post()
  @HttpCode(200)
  async create(
    @Body(ResponsesRequestPipe) body: ResponseCreateRequest,
    @ClientContext() context: RequestContext,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendReply(res, await this.responses.create(body, context));
  }

  @Post('input_tokens')
  @HttpCode(200)
  inputTokens(
    @Body(ResponsesRequestPipe) body: ResponseCreateRequest,
    @ClientContext() context: RequestContext,
  ): Promise<{ object: string; input_tokens: number }> {
    return this.responses.inputTokens(body, context);
  }

  @Get(':id')
  retrieve(
    @Param('id') id: string,
    @Query('stream') stream: string | undefined,
  ): Promise<ResponseObject> {
    return this.responses.retrieve(id, stream === 'true');
  }

  @Delete(':id')
  @HttpCode(200)
  delete(@Param('id') id: string): Promise<{ id: string; object: string; deleted: boolean }> {
    return this.responses.delete(id);
  }

  @Get(':id/input_items')
  inputItems(@Param('id') id: string, @Query() query: InputItemsQuery): Promise<object> {
    return this.responses.inputItems(id, query);
  }
}
