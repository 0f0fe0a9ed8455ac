import type { ServerResponse } from 'node:http';
import { abortUpstream } from './abort-signal';
import { ApiError } from '../errors/api-error';
import { errorBodyForPath } from '../errors/error-bodies';
import { sendError } from './error-response';

const streamEnders = new WeakMap<object, (error: ApiError) => void>();

/** A running stream says how to end itself with an error event in its own dialect. */
export function onFinalAnswer(res: object, end: (error: ApiError) => void): () => void {
  streamEnders.set(res, end);
  return () => streamEnders.delete(res);
}

/**
 * Ends an answer the proxy can no longer finish (shutdown past its grace period): a stream gets
 * its dialect's error event, a request not yet answered gets the error with its status and
 * Retry-After, and the upstream call behind either is cancelled.
 */
export function endUnfinished(res: ServerResponse, error: ApiError): void {
  if (res.writableEnded) return;
  const endStream = streamEnders.get(res);
  if (!res.headersSent) {
    sendError(res, error, errorBodyForPath(pathOf(res), error), () => '');
  } else if (endStream) {
    endStream(error);
  }
  abortUpstream(res);
}

function pathOf(res: ServerResponse): string {
  const url = res.req?.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
