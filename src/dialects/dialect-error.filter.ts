import { ArgumentsHost, Catch, ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorFacts } from '../errors/error-facts';
import { sendError, setErrorHeaders } from '../http/error-response';
import { renderView } from '../http/views';
import { dialectFor } from './dialect-routes';

/**
 * The one exception filter: every failure, from a route, a guard or no route at all, is written
 * in the dialect its route speaks (dialect-routes.ts); once a stream has started, as that
 * dialect's error event. Browsers on the admin pages get an HTML page instead of JSON.
 */
@Catch()
export class DialectErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const dialect = dialectFor(req);
    const error = toErrorFacts(withoutQuery(exception, req));
    if (dialect.page && !res.headersSent && req.accepts(['json', 'html']) === 'html') {
      setErrorHeaders(res, dialect, error);
      res.status(error.status);
      renderView(
        res,
        dialect.page.view,
        {
          layout: false,
          status: error.status,
          message: error.message,
          passwordRequired: error.status === 401,
        },
        { status: error.status, context: dialect.page.context, failure: error.message },
      );
      return;
    }
    sendError(res, dialect, error);
  }
}

/**
 * Nest's unknown-route 404 repeats the whole URL, `?key=<password>` included; name the path only,
 * so that a secret in the query never comes back in a body that clients and their logs keep.
 */
function withoutQuery(exception: unknown, req: Request): unknown {
  if (!(exception instanceof NotFoundException)) return exception;
  if (exception.message !== `Cannot ${req.method} ${req.originalUrl}`) return exception;
  return new NotFoundException(`Cannot ${req.method} ${req.path}`);
}
