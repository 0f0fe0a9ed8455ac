import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorBodyForPath } from './error-bodies';
import { toErrorFacts } from './error-facts';
import { sendError } from './error-response';

/**
 * For errors outside any controller's own filter (unknown routes, bad bodies): answers in the
 * dialect the path belongs to, Google's under /v1beta and OpenAI's elsewhere.
 */
@Catch()
export class FallbackErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const error = toErrorFacts(exception);
    sendError(
      res,
      error,
      errorBodyForPath(req.path, error),
      (b) => `data: ${JSON.stringify(b)}\n\n`,
    );
  }
}
