import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { openAIErrorBody } from '../errors/error-bodies';
import { toErrorFacts } from '../errors/error-facts';
import { renderView } from '../http/views';

/**
 * Errors on /admin: a 401 challenges for Basic auth so that a browser asks for the password
 * (any user name; the password is the proxy's), and browsers get a small HTML page, other
 * clients the JSON error shape of the non-Gemini routes.
 */
@Catch()
export class AdminErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const error = toErrorFacts(exception);
    if (error.status === 401)
      res.setHeader('www-authenticate', 'Basic realm="Gemini proxy admin", charset="UTF-8"');
    res.status(error.status);
    if (req.accepts(['json', 'html']) === 'html') {
      renderView(
        res,
        'admin-error',
        {
          layout: false,
          status: error.status,
          message: error.message,
          passwordRequired: error.status === 401,
        },
        { status: error.status, context: 'Admin', failure: error.message },
      );
      return;
    }
    res.json(openAIErrorBody(error));
  }
}
