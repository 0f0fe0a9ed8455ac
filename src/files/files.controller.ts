import { Controller, Delete, Get, Param, Query, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientSignal } from '../http/client-context';
import { sendRelayed } from './relayed';
import { ResourcesService } from './resources.service';

/** `/v1beta/files`: every credential's files in one list; one file on the credential owning it. */
@Controller('v1beta/files')
export class FilesController {
  constructor(private readonly resources: ResourcesService) {}

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(res, await this.resources.list('files', query, signal));
  }

  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(
      res,
      await this.resources.onResource(`files/${id}`, 'GET', query, undefined, signal),
    );
  }

  @Delete(':id')
  async remove(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(
      res,
      await this.resources.onResource(`files/${id}`, 'DELETE', query, undefined, signal),
    );
  }
}
