import { randomUUID } from 'node:crypto';
import type { UsageRowTable } from '../database/database-schema';
import type { CompletedRequest } from '../logging/request-record';

export type Dialect =
  'chat' | 'responses' | 'messages' | 'native' | 'embeddings' | 'images' | 'audio';

export type UsageRow = UsageRowTable;

/** The routes that call a model, by dialect (route templates as the tracker reports them). */
const DIALECT_ROUTES: readonly [RegExp, Dialect][] = [
  [/^\/v1\/chat\/completions$/, 'chat'],
  [/^\/v1\/responses(\/input_tokens)?$/, 'responses'],
  [/^\/v1\/messages(\/count_tokens)?$/, 'messages'],
  [/^\/v1\/embeddings$/, 'embeddings'],
  [/^\/v1\/images\//, 'images'],
  [/^\/v1\/audio\//, 'audio'],
  [/^\/v1beta\/models\/:modelAction$/, 'native'],
];

/** Route templates are few (unmatched paths share one label), so each is matched once. */
const dialectByRoute = new Map<string, Dialect | null>();

export function dialectOf(method: string, route: string): Dialect | undefined {
  if (method !== 'POST') return undefined;
  let dialect = dialectByRoute.get(route);
  if (dialect === undefined) {
    dialect = DIALECT_ROUTES.find(([pattern]) => pattern.test(route))?.[1] ?? null;
    dialectByRoute.set(route, dialect);
  }
  return dialect ?? undefined;
}

/** Who made the request: a client key's id (section 13), else the proxy password. */
export const PASSWORD_CLIENT = 'password';

/** Status written for a client that left before its answer was complete (nginx's convention). */
const CLIENT_CLOSED = 499;

/**
 * The ledger's row for a finished request, or undefined for requests that are no model call
 * (model lists, /admin, probes) and for those refused before the caller was known (401).
 */
export function toUsageRow(r: CompletedRequest, now: number): UsageRow | undefined {
  const dialect = dialectOf(r.method, r.route);
  if (!dialect || r.status === 401) return undefined;
  const status = r.aborted ? CLIENT_CLOSED : r.status;
  const id = randomUUID();
  return {
    id,
    time: Math.round(now - r.durationMs),
    request_id: r.requestId ?? id,
    client: r.client ?? PASSWORD_CLIENT,
    dialect,
    requested_model: r.requestedModel ?? r.model ?? null,
    served_model: r.model ?? null,
    credential: r.credentialId ?? null,
    attempts: r.attempts,
    status,
    prompt_tokens: r.tokens?.prompt ?? 0,
    output_tokens: r.tokens?.completion ?? 0,
    thought_tokens: r.tokens?.thoughts ?? 0,
    cached_tokens: r.tokens?.cached ?? 0,
    duration_ms: Math.round(r.durationMs),
    ttfb_ms: r.firstTokenMs === undefined ? null : Math.round(r.firstTokenMs),
    usage_missing: r.stream !== undefined && r.tokens === undefined ? 1 : 0,
    error_reason: errorReason(r, status),
  };
}

function errorReason(r: CompletedRequest, status: number): string | null {
  if (r.errorReason) return r.errorReason.slice(0, 200);
  if (r.stream === 'error') return 'stream-error';
  if (status === CLIENT_CLOSED || r.stream === 'aborted') return 'client-closed';
  if (status >= 400) return `http-${status}`;
  return null;
}

/** A 429 is counted as rate-limited; any other failure (a stream cut by Google included) as an error. */
export function outcomeOf(row: Pick<UsageRow, 'status' | 'error_reason'>): {
  errors: number;
  rateLimited: number;
} {
  if (row.status === 429) return { errors: 0, rateLimited: 1 };
  const failed =
    (row.status >= 400 && row.status !== CLIENT_CLOSED) || row.error_reason === 'stream-error';
  return { errors: failed ? 1 : 0, rateLimited: 0 };
}
