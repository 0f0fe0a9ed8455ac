import { Injectable } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { requireObject } from './json-body';
import { Relayed } from './relayed';
import { forwardedQuery } from './resource-query';
import { ResourcesService } from './resources.service';

type Query = Record<string, unknown>;

/**
 * The endpoints whose path or body decides what happens: a streamed or plain interaction, a batch
 * named in the path, its `:cancel`. Each is one call for its controller.
 */
@Injectable()
export class ResourceActions {
  constructor(private readonly resources: ResourcesService) {}

  createCache(query: Query, body: unknown, signal: AbortSignal): Promise<Relayed> {
    const target = `/v1beta/cachedContents${forwardedQuery(query)}`;
    return this.resources.create(target, requireObject(body), signal);
  }

  /** `stream: true` (what `@google/genai` sends) or `?alt=sse`: Google's events, relayed. */
  createInteraction(query: Query, body: unknown, signal: AbortSignal): Promise<Relayed> {
    const json = requireObject(body);
    const target = `/v1beta/interactions${forwardedQuery(query)}`;
    return json.stream === true || query.alt === 'sse'
      ? this.resources.createStream(target, json, signal)
      : this.resources.create(target, json, signal);
  }

  /** `models/{model}:batchGenerateContent`: the body goes to Google as sent, the model in the path. */
  createBatch(
    modelAction: string,
    query: Query,
    body: unknown,
    signal: AbortSignal,
  ): Promise<Relayed> {
    const model = modelAction.slice(0, -BATCH_ACTION.length).replace(/^models\//, '');
    if (!model)
      throw ApiError.badRequest(
        'The path must name a model: /v1beta/models/{model}:batchGenerateContent.',
      );
    const target = `/v1beta/models/${encodeURIComponent(model)}${BATCH_ACTION}${forwardedQuery(query)}`;
    return this.resources.create(target, requireObject(body), signal, model);
  }

  /** `batches/{id}:cancel`, the one action on a batch. */
  batchAction(idAction: string, query: Query, signal: AbortSignal): Promise<Relayed> {
    const colon = idAction.lastIndexOf(':');
    const id = idAction.slice(0, colon);
    if (colon <= 0 || idAction.slice(colon + 1) !== 'cancel') {
      throw ApiError.notFound(
        `Unsupported batch action "${idAction.slice(0, 64)}"; supported: cancel.`,
      );
    }
    return this.resources.onResource(`batches/${id}`, 'POST', query, {}, signal, ':cancel');
  }
}

export const BATCH_ACTION = ':batchGenerateContent';
