import type { ServerResponse } from 'node:http';
import { ApiError } from '../errors/api-error';
import { contextOfAnswer } from '../request/request-context';

const streamEnders = new WeakMap<object, (error: ApiError) => void>();

/** A running stream says how to end itself with an error event in its own dialect. */
export function onFinalAnswer(res: object, end: (error: ApiError) => void): () => void {
  streamEnders.set(res, end);
  return () => streamEnders.delete(res);
}

/**
 * Ends an answer the proxy can no longer finish (shutdown past its grace period): a stream gets
 * its dialect's error event, a request not yet answered gets the error with its status and
 * Retry-After (written by `answer`, in the dialect of its route), and the upstream call behind
 * either is cancelled.
 */
export function endUnfinished(
  res: ServerResponse,
  error: ApiError,
  answer: (res: ServerResponse, error: ApiError) => void,
): void {
  if (res.writableEnded) return;
  const endStream = streamEnders.get(res);
  if (!res.headersSent) {
    answer(res, error);
  } else if (endStream) {
    endStream(error);
  }
  contextOfAnswer(res)?.abort();
}
