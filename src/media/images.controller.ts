import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ClientContext } from '../http/client-context';
import { RequestContext } from '../request/request-context';
import type { MultipartForm } from '../http/multipart-form';
import { OpenAIBodyPipe } from '../openai/openai-body.pipe';
import { ImagesService } from './images.service';
import { findImageGenerationProblem } from './media-request-rules';
import type { ImageGenerationRequest, ImagesResponse } from './media-types';
import { MultipartPipe } from './multipart.pipe';

/** OpenAI's `/v1/images` routes, served by Gemini image models. */
@Controller('v1/images')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  @Post('generations')
  @HttpCode(200)
  generations(
    @Body(new OpenAIBodyPipe(findImageGenerationProblem)) body: ImageGenerationRequest,
    @ClientContext() context: RequestContext,
  ): Promise<ImagesResponse> {
    return this.images.generate(body, context);
  }

  @Post('edits')
  @HttpCode(200)
  edits(
    @Body(new MultipartPipe()) form: MultipartForm,
    @ClientContext() context: RequestContext,
  ): Promise<ImagesResponse> {
    return this.images.edit(form, context);
  }
}
