import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientSignal } from '../http/client-context';
import { requireObject } from './json-body';
import { sendRelayed } from './relayed';
import { ResourceActions } from './resource-actions';
import { ResourcesService } from './resources.service';

/** `/v1beta/cachedContents`: a cache lives in the project of the credential that made it. */
@Controller('v1beta/cachedContents')
export class CachedContentsController {
  constructor(
    private readonly resources: ResourcesService,
    private readonly actions: ResourceActions,
  ) {}

  @Post()
  async create(
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(res, await this.actions.createCache(query, body, signal));
  }

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(res, await this.resources.list('cachedContents', query, signal));
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
      await this.resources.onResource(`cachedContents/${id}`, 'GET', query, undefined, signal),
    );
  }

  @Patch(':id')
  async update(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(
      res,
      await this.resources.onResource(
        `cachedContents/${id}`,
        'PATCH',
        query,
        requireObject(body),
        signal,
      ),
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
      await this.resources.onResource(`cachedContents/${id}`, 'DELETE', query, undefined, signal),
    );
  }
}
