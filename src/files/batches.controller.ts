import { Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientSignal } from '../http/client-context';
import { sendRelayed } from './relayed';
import { ResourceActions } from './resource-actions';
import { ResourcesService } from './resources.service';

/** `/v1beta/batches`: long-running batch jobs, each in the project that created it. */
@Controller('v1beta/batches')
export class BatchesController {
  constructor(
    private readonly resources: ResourcesService,
    private readonly actions: ResourceActions,
  ) {}

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(res, await this.resources.list('batches', query, signal));
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
      await this.resources.onResource(`batches/${id}`, 'GET', query, undefined, signal),
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
      await this.resources.onResource(`batches/${id}`, 'DELETE', query, undefined, signal),
    );
  }

  /** `batches/{id}:cancel`. */
  @Post(':idAction')
  @HttpCode(200)
  async act(
    @Param('idAction') idAction: string,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(res, await this.actions.batchAction(idAction, query, signal));
  }
}
