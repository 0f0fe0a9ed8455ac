import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { AnthropicService } from '../anthropic/anthropic.service';
import { GeminiService } from '../gemini/gemini.service';
import type { ModelListFilter } from '../models/model-list-filter';
import { OpenAIService } from '../openai/openai.service';
import { modelsClient } from './dialect-routes';

export interface ModelListQuery {
  /** Anthropic's paging. */
  limit?: string;
  after_id?: string;
  before_id?: string;
  /** Google's paging. */
  pageSize?: string;
  pageToken?: string;
}

const pageSize = (limit: string | undefined): number | undefined =>
  limit === undefined || !/^\d+$/.test(limit) ? undefined : Number(limit);

/**
 * `GET /v1/models[/{id}]` is OpenAI's, Anthropic's and Google's (`apiVersion: 'v1'`) path at once:
 * the list comes in the shape of the client family that asks.
 */
@Injectable()
export class SharedModelsService {
  constructor(
    private readonly openai: OpenAIService,
    private readonly anthropic: AnthropicService,
    private readonly gemini: GeminiService,
  ) {}

  list(
    headers: IncomingHttpHeaders,
    query: ModelListQuery,
    listed: ModelListFilter = () => true,
  ): Promise<object> {
    switch (modelsClient(headers)) {
      case 'anthropic':
        return this.anthropic.listModels(
          {
            limit: pageSize(query.limit),
            afterId: query.after_id,
            beforeId: query.before_id,
          },
          listed,
        );
      case 'google':
        return this.gemini.listModels(query.pageSize, query.pageToken, listed);
      case 'openai':
        return this.openai.listModels(listed);
    }
  }

  get(headers: IncomingHttpHeaders, id: string): Promise<object> {
    switch (modelsClient(headers)) {
      case 'anthropic':
        return this.anthropic.getModel(id);
      case 'google':
        return this.gemini.getModel(id);
      case 'openai':
        return this.openai.getModel(id);
    }
  }
}
