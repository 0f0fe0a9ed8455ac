import type { ServerResponse } from 'node:http';
import { ApiError } from '../errors/api-error';
import { writeJson } from './json-response';

/**
 * Sends an error in a dialect. When a stream has already started, the error becomes the stream's
 * last event instead, since the status line is gone.
 */
export function sendError(
  res: ServerResponse,
  error: ApiError,
  body: unknown,
  sseFrame: (body: unknown) => string,
): void {
  if (res.headersSent) {
    if (!res.writableEnded) {
      const type = String(res.getHeader('content-type') ?? '');
      if (type.startsWith('text/event-stream')) res.write(sseFrame(body));
      res.end();
    }
    return;
  }
  if (error.retryAfterSeconds !== undefined)
    res.setHeader('retry-after', String(error.retryAfterSeconds));
  if (error.status === 401) res.setHeader('www-authenticate', 'Bearer, Basic realm="gemini-proxy"');
  // A body left unread (refused before or while reading it) is never read: the connection ends
  // with this answer, so a refused upload costs no more than its headers.
  if (res.req && !res.req.complete) res.setHeader('connection', 'close');
  writeJson(res, error.status, body);
}
