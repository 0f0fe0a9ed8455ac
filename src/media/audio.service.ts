import { Injectable } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import type { MultipartForm } from '../http/multipart-form';
import { ModelAliasesService } from '../models/model-aliases.service';
import { RequestContext } from '../request/request-context';
import { UpstreamDispatcher } from '../upstream/dispatcher';
import type { GeminiResponse } from '../upstream/gemini-types';
import {
  encodeSpeech,
  SPEECH_FORMATS,
  SpeechFormat,
  UNSUPPORTED_SPEECH_FORMATS,
} from './audio-encoding';
import { mediaModel } from './media-models';
import { formValues, oneFile, TRANSCRIPTION } from './media-request-rules';
import { sniffAudio } from './media-sniff';
import type { MediaReply, SpeechRequest } from './media-types';
import { pcmFromResponse, toSpeechRequest } from './speech-mapper';
import {
  toSrt,
  toTranscriptionRequest,
  toVtt,
  TranscriptFormat,
  TranscriptionTask,
  transcriptOf,
  verboseSegments,
} from './transcription-mapper';

/** OpenAI's audio routes: speech from Gemini TTS models, transcripts from audio understanding. */
@Injectable()
export class AudioService {
  constructor(
    private readonly dispatcher: UpstreamDispatcher,
    private readonly aliases: ModelAliasesService,
  ) {}

  async speech(req: SpeechRequest, context: RequestContext): Promise<MediaReply> {
    const format = speechFormat(req.response_format);
    const body = toSpeechRequest(req);
    const answer = await this.dispatcher.generate({ model: this.model(req.model), body, context });
    return {
      contentType: SPEECH_FORMATS[format],
      body: await encodeSpeech(pcmFromResponse(answer), format),
    };
  }

  async transcribe(
    task: TranscriptionTask,
    form: MultipartForm,
    context: RequestContext,
  ): Promise<MediaReply> {
    const fields = formValues(form, TRANSCRIPTION) as {
      model: string;
      language?: string;
      prompt?: string;
      response_format?: TranscriptFormat;
    };
    const file = oneFile(form, 'file');
    const mimeType = sniffAudio(file.data);
    if (!mimeType) {
      throw ApiError.badRequest(
        `The file '${file.filename.slice(0, 80)}' is not audio Gemini can read: send flac, mp3, mp4, m4a, mpeg, mpga, ogg, wav, webm, aac or aiff.`,
        'file',
      );
    }
    const format = fields.response_format ?? 'json';
    const body = toTranscriptionRequest({
      task,
      audio: { mimeType, data: file.data },
      format,
      language: task === 'transcribe' ? fields.language : undefined,
      prompt: fields.prompt,
    });
    const answer = await this.dispatcher.generate({
      model: this.model(fields.model),
      body,
      context,
    });
    const transcript = transcriptOf(answer, format);
    const segments = transcript.segments ?? [];
    switch (format) {
      case 'json':
        return json({ text: transcript.text, usage: tokenUsage(answer) });
      case 'text':
        return { contentType: 'text/plain; charset=utf-8', body: `${transcript.text}\n` };
      case 'srt':
        return { contentType: 'text/plain; charset=utf-8', body: toSrt(segments) };
      case 'vtt':
        return { contentType: 'text/plain; charset=utf-8', body: toVtt(segments) };
      case 'verbose_json':
        return json({
          task,
          language:
            transcript.language ?? (task === 'translate' ? 'english' : (fields.language ?? '')),
          duration: segments.reduce((end, s) => Math.max(end, s.end), 0),
          text: transcript.text,
          segments: verboseSegments(segments),
          usage: tokenUsage(answer),
        });
    }
  }

  private model(requested: string): string {
    return mediaModel(requested, (name) => this.aliases.resolve(name));
  }
}

function speechFormat(requested: string | undefined): SpeechFormat {
  const format = (requested ?? 'mp3').trim().toLowerCase();
  if (format in SPEECH_FORMATS) return format as SpeechFormat;
  const known = (UNSUPPORTED_SPEECH_FORMATS as readonly string[]).includes(format);
  throw new ApiError({
    status: 400,
    kind: 'invalid_request',
    message: `${known ? 'This proxy cannot produce' : 'Unknown'} response_format '${format.slice(0, 32)}'; use ${Object.keys(SPEECH_FORMATS).join(', ')}.`,
    param: 'response_format',
    code: 'invalid_value',
  });
}

function json(value: unknown): MediaReply {
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

function tokenUsage(answer: GeminiResponse) {
  const input = answer.usageMetadata?.promptTokenCount ?? 0;
  const output =
    (answer.usageMetadata?.candidatesTokenCount ?? 0) +
    (answer.usageMetadata?.thoughtsTokenCount ?? 0);
  return {
    type: 'tokens',
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
  };
}
