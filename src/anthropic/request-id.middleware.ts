import type { NextFunction, Request, Response } from 'express';
import { newRequestId, REQUEST_ID_HEADER } from '../translation/anthropic/errors';

/**
 * Anthropic answers every request with a `request-id` header, which its SDK reports in errors.
 * On the shared model routes only requests in Anthropic's dialect (`anthropic-version`) get one.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (req.path.startsWith('/v1/messages') || req.headers['anthropic-version'] !== undefined) {
    res.setHeader(REQUEST_ID_HEADER, newRequestId());
  }
  next();
}
