import type { IncomingHttpHeaders } from 'node:http';
import { adminDialect } from '../admin/admin-dialect';
import type { Dialect } from '../errors/dialect';
import { googleDialect } from '../errors/google-dialect';
import { anthropicDialect } from '../translation/anthropic/errors';
import { openAIDialect } from '../translation/openai/errors';
import { responsesDialect } from '../translation/responses/errors';

export interface RouteFacts {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * Which dialect a request speaks, by its route: the one table every error answer reads. The model
 * routes under `/v1` are shared, so there the client's own header decides: `anthropic-version` for
 * Anthropic's SDK, `x-goog-api-client` for Google's; POSTs and colon actions under `/v1/models/`
 * are Google's `{model}:{action}` calls, no other dialect's.
 */
export function dialectFor({ method, path, headers }: RouteFacts): Dialect {
  if (path === '/admin' || path.startsWith('/admin/')) return adminDialect;
  if (path.startsWith('/v1beta') || path.startsWith('/upload/')) return googleDialect;
  if (path.startsWith('/v1/messages')) return anthropicDialect;
  if (path.startsWith('/v1/responses')) return responsesDialect;
  if (path === '/v1/models' || path.startsWith('/v1/models/')) {
    if (method === 'POST' || /^\/v1\/models\/[^/]*:/.test(path)) return googleDialect;
    return MODELS_DIALECTS[modelsClient(headers)];
  }
  return openAIDialect;
}

export type ModelsClient = 'anthropic' | 'google' | 'openai';

const MODELS_DIALECTS: Record<ModelsClient, Dialect> = {
  anthropic: anthropicDialect,
  google: googleDialect,
  openai: openAIDialect,
};

/** Whose model list a `GET /v1/models` wants, by the header each client family sends. */
export function modelsClient(headers: IncomingHttpHeaders): ModelsClient {
  if (headers['anthropic-version'] !== undefined) return 'anthropic';
  if (headers['x-goog-api-client'] !== undefined) return 'google';
  return 'openai';
}
