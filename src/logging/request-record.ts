import { RequestRecord } from '../request/request-record';

export interface CompletedRequest extends RequestRecord {
  status: number;
  durationMs: number;
  /** The client left before the answer was complete. */
  aborted: boolean;
  /** The `request-id` header the answer carried (Anthropic's dialect), if any. */
  requestId?: string;
  /** The model the client named, before aliases and variants (body `model` or the native path). */
  requestedModel?: string;
}

/** Routes too frequent and too dull to log one line each (probes and scrapes). */
export const QUIET_ROUTES: ReadonlySet<string> = new Set(['/health', '/metrics']);

/**
 * `POST /v1beta/models/:modelAction 200 812ms model=… served=… credential=… attempts=2
 * tokens=12/40/0 ttft=300ms`; `served=` only when Google names another model than the one asked.
 */
export function formatRequestLine(r: CompletedRequest): string {
  const parts = [
    `${r.method} ${r.route} ${r.aborted ? 'aborted' : r.status} ${Math.round(r.durationMs)}ms`,
  ];
  if (r.model) parts.push(`model=${r.model}`);
  if (r.servedModel && r.servedModel !== r.model) parts.push(`served=${r.servedModel}`);
  if (r.credentialId) parts.push(`credential=${r.credentialId}`);
  if (r.attempts) parts.push(`attempts=${r.attempts}`);
  if (r.tokens) parts.push(`tokens=${r.tokens.prompt}/${r.tokens.completion}/${r.tokens.thoughts}`);
  if (r.firstTokenMs !== undefined) parts.push(`ttft=${Math.round(r.firstTokenMs)}ms`);
  if (r.stream && r.stream !== 'complete') parts.push(`stream=${r.stream}`);
  return parts.join(' ');
}

/** The same facts as a flat object, for LOG_FORMAT=json. */
export function requestLogFields(r: CompletedRequest): Record<string, unknown> {
  return {
    event: 'request',
    method: r.method,
    route: r.route,
    status: r.status,
    aborted: r.aborted,
    durationMs: Math.round(r.durationMs),
    model: r.model ?? null,
    servedModel: r.servedModel ?? null,
    credential: r.credentialId ?? null,
    attempts: r.attempts,
    tokens: r.tokens ?? null,
    firstTokenMs: r.firstTokenMs === undefined ? null : Math.round(r.firstTokenMs),
    stream: r.stream ?? null,
  };
}
