import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientContext } from '../http/client-context';
import { RequestContext } from '../request/request-context';
import type { MultipartForm } from '../http/multipart-form';
import { OpenAIBodyPipe } from '../openai/openai-body.pipe';
import { AudioService } from './audio.service';
import { findSpeechProblem } from './media-request-rules';
import type { MediaReply, SpeechRequest } from './media-types';
import { MultipartPipe } from './multipart.pipe';

/** OpenAI's `/v1/audio` routes: speech from Gemini TTS, transcripts from audio understanding. */
@Controller('v1/audio')
export class AudioController {
  constructor(private readonly audio: AudioService) {}

  @Post('speech')
  @HttpCode(200)
  async speech(
    @Body(new OpenAIBodyPipe(findSpeechProblem)) body: SpeechRequest,
    @ClientContext() context: RequestContext,
    @Res() res: ServerResponse,
  ): Promise<void> {
    send(res, await this.audio.speech(body, context));
  }

  @Post('transcriptions')
  @HttpCode(200)
  async transcriptions(
    @Body(new MultipartPipe()) form: MultipartForm,
    @ClientContext() context: RequestContext,
    @Res() res: ServerResponse,
  ): Promise<void> {
    send(res, await this.audio.transcribe('transcribe', form, context));
  }

  @Post('translations')
  @HttpCode(200)
  async translations(
    @Body(new MultipartPipe()) form: MultipartForm,
    @ClientContext() context: RequestContext,
    @Res() res: ServerResponse,
  ): Promise<void> {
    send(res, await this.audio.transcribe('translate', form, context));
  }
}

function send(res: ServerResponse, reply: MediaReply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.statusCode = 200;
  res.setHeader('content-type', reply.contentType);
  res.setHeader('content-length', body.length);
  res.end(body);
}
