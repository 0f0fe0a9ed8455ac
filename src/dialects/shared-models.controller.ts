import { Controller, Get, Headers, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { modelListFilter } from '../models/model-list-filter';
import { ModelListQuery, SharedModelsService } from './shared-models.service';

/** `GET /v1/models[/{id}]`, in the shape of the client family that asks (see SharedModelsService). */
@Controller('v1/models')
export class SharedModelsController {
  constructor(private readonly models: SharedModelsService) {}

  @Get()
  list(
    @Headers() headers: IncomingHttpHeaders,
    @Query() query: ModelListQuery,
    @Req() req: Request,
  ): Promise<object> {
    return this.models.list(headers, query, modelListFilter(req));
  }

  @Get(':id')
  get(@Headers() headers: IncomingHttpHeaders, @Param('id') id: string): Promise<object> {
    return this.models.get(headers, id);
  }
}
