import type { ApiErrorKind } from './api-error';

/** The kinds an HTTP status names the same way whoever answered it, Google or the proxy. */
const KINDS: Readonly<Record<number, ApiErrorKind>> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  413: 'invalid_request',
  422: 'invalid_request',
  429: 'rate_limited',
};

/**
 * The one status → kind table. Any other answer from Google is an upstream failure (504 is its
 * deadline); any other of the proxy's own is the client's below 500 and the proxy's fault above.
 */
export function errorKindFor(status: number, source: 'google' | 'proxy'): ApiErrorKind {
  const kind = KINDS[status];
  if (kind) return kind;
  if (source === 'google') return status === 504 ? 'timeout' : 'upstream';
  return status >= 500 ? 'internal' : 'invalid_request';
}
