import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Next,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ClientSignal } from '../http/client-context';
import { sendRelayed } from './relayed';
import { BATCH_ACTION, ResourceActions } from './resource-actions';
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

type PassOn = (error?: unknown) => void;

/**
 * `POST /v1beta/models/{model}:batchGenerateContent` creates a batch job. Registered before the
 * Gemini module's `models/{model}:{action}` route; every other action passes on to it.
 */
@Controller('v1beta/models')
export class BatchCreateController {
  constructor(private readonly actions: ResourceActions) {}

  @Post(':modelAction')
  @HttpCode(200)
  async create(
    @Param('modelAction') modelAction: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @ClientSignal() signal: AbortSignal,
    @Res() res: ServerResponse,
    @Next() next: PassOn,
  ): Promise<void> {
    if (!modelAction.endsWith(BATCH_ACTION)) return next();
    await sendRelayed(res, await this.actions.createBatch(modelAction, query, body, signal));
  }
}
