import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientSignal } from '../http/client-context';
import { sendRelayed } from './relayed';
import { ResourceActions } from './resource-actions';
import { ResourcesService } from './resources.service';

/**
 * Google's Interactions API. An interaction is stored in the project that ran it, so
 * `previous_interaction_id` and the id in the path go to that credential.
 */
@Controller('v1beta/interactions')
export class InteractionsController {
  constructor(
    private readonly resources: ResourcesService,
    private readonly actions: ResourceActions,
  ) {}

  @Post()
  @HttpCode(200)
  async create(
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(res, await this.actions.createInteraction(query, body, signal));
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
      await this.resources.onResource(`interactions/${id}`, 'GET', query, undefined, signal),
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
      await this.resources.onResource(`interactions/${id}`, 'DELETE', query, undefined, signal),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendRelayed(
      res,
      await this.resources.onResource(`interactions/${id}`, 'POST', query, {}, signal, '/cancel'),
    );
  }
}
