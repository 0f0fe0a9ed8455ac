import type { ServerResponse } from 'node:http';
import type { ApiError } from '../errors/api-error';
import { sendError } from '../http/error-response';
import { dialectFor } from './dialect-routes';

/** An error answered outside Nest (shutdown past its grace period), in the dialect of its route. */
export function answerInDialect(res: ServerResponse, error: ApiError): void {
  const req = res.req;
  const url = req?.url ?? '/';
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  sendError(
    res,
    dialectFor({ method: req?.method ?? 'GET', path, headers: req?.headers ?? {} }),
    error,
  );
}
