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
  UseFilters,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiError } from '../errors/api-error';
import { GoogleErrorFilter } from '../gemini/google-error.filter';
import { ClientSignal } from '../http/abort-signal';
import { requireObject } from './json-body';
import { sendRelayed } from './relayed';
import { forwardedQuery } from './resource-query';
import { ResourcesService } from './resources.service';

/** `/v1beta/batches`: long-running batch jobs, each in the project that created it. */
@Controller('v1beta/batches')
@UseFilters(GoogleErrorFilter)
export class BatchesController {
  constructor(private readonly resources: ResourcesService) {}

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
    const [id, action] = idAction.split(':');
    if (action !== 'cancel' || !id)
      throw ApiError.notFound(
        `Unsupported batch action "${idAction.slice(0, 64)}"; supported: cancel.`,
      );
    await sendRelayed(
      res,
      await this.resources.onResource(`batches/${id}`, 'POST', query, {}, signal, ':cancel'),
    );
  }
}

type PassOn = (error?: unknown) => void;

/**
 * `POST /v1beta/models/{model}:batchGenerateContent` creates a batch job. Registered before the
 * Gemini module's `models/{model}:{action}` route; every other action passes on to it.
 */
@Controller('v1beta/models')
@UseFilters(GoogleErrorFilter)
export class BatchCreateController {
  constructor(private readonly resources: ResourcesService) {}

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
    if (!modelAction.endsWith(':batchGenerateContent')) return next();
    const model = modelAction.slice(0, -':batchGenerateContent'.length).replace(/^models\//, '');
    const target = `/v1beta/models/${encodeURIComponent(model)}:batchGenerateContent${forwardedQuery(query)}`;
    await sendRelayed(
      res,
      await this.resources.create(target, { model, ...requireObject(body) }, signal),
    );
  }
}
