import type { ServerResponse } from 'node:http';
import type { ApiError } from '../errors/api-error';
import type { Dialect } from '../errors/dialect';
import { writeJson } from './json-response';

const API_CHALLENGE = 'Bearer, Basic realm="gemini-proxy"';

/**
 * Sends an error in a dialect. When a stream has already started, the error becomes the stream's
 * last event instead, since the status line is gone.
 */
export function sendError(res: ServerResponse, dialect: Dialect, error: ApiError): void {
  const requestId = dialect.requestId ? requestIdOf(res, dialect.requestId) : undefined;
  if (res.headersSent) {
    if (!res.writableEnded) {
      const type = String(res.getHeader('content-type') ?? '');
      if (type.startsWith('text/event-stream'))
        res.write(dialect.streamErrorEvent(error, requestId));
      res.end();
    }
    return;
  }
  const { status, body } = dialect.errorOf(error, requestId);
  setErrorHeaders(res, dialect, error);
  writeJson(res, status, body);
}

/** Retry-After, the 401 challenge, and closing a connection whose body was left unread. */
export function setErrorHeaders(res: ServerResponse, dialect: Dialect, error: ApiError): void {
  if (error.retryAfterSeconds !== undefined)
    res.setHeader('retry-after', String(error.retryAfterSeconds));
  if (error.status === 401) res.setHeader('www-authenticate', dialect.challenge ?? API_CHALLENGE);
  // A body left unread (refused before or while reading it) is never read: the connection ends
  // with this answer, so a refused upload costs no more than its headers.
  if (res.req && !res.req.complete) res.setHeader('connection', 'close');
}

function requestIdOf(res: ServerResponse, id: { header: string; create(): string }) {
  let value = res.getHeader(id.header);
  if (typeof value !== 'string' && !res.headersSent) {
    value = id.create();
    res.setHeader(id.header, value);
  }
  return typeof value === 'string' ? value : undefined;
}
