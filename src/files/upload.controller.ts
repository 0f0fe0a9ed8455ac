import { Controller, Inject, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { serverConfig } from '../config/configuration';
import type { ServerResponse } from 'node:http';
import { ClientSignal } from '../http/client-context';
import { StreamedBody } from '../http/streamed-body.decorator';
import { publicBase } from './public-base';
import { sendRelayed } from './relayed';
import { UploadsService } from './uploads.service';

/** Google's upload endpoint: resumable sessions, multipart and media, streamed through. */
@Controller('upload/v1beta/files')
export class UploadController {
  constructor(
    private readonly uploads: UploadsService,
    @Inject(serverConfig.KEY) private readonly server: ConfigType<typeof serverConfig>,
  ) {}

  @Post()
  @HttpCode(200)
  @StreamedBody()
  async upload(
    @Req() req: Request,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const base = publicBase(req.headers, req.protocol, this.server.domainName);
    await sendRelayed(
      res,
      await this.uploads.upload({ headers: req.headers, query, body: req, base, signal }),
    );
  }
}
