import { Controller, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import type { ServerResponse } from 'node:http';
import { GoogleErrorFilter } from '../gemini/google-error.filter';
import { ClientSignal } from '../http/abort-signal';
import { StreamedBody } from '../http/streamed-body.decorator';
import { sendRelayed } from './relayed';
import { UploadsService } from './uploads.service';

/** Google's upload endpoint: resumable sessions, multipart and media, streamed through. */
@Controller('upload/v1beta/files')
@UseFilters(GoogleErrorFilter)
export class UploadController {
  constructor(private readonly uploads: UploadsService) {}

  @Post()
  @HttpCode(200)
  @StreamedBody()
  async upload(
    @Req() req: Request,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    await sendRelayed(
      res,
      await this.uploads.upload({ headers: req.headers, query, body: req, base, signal }),
    );
  }
}
