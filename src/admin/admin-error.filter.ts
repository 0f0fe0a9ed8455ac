import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { openAIErrorBody } from '../http/error-bodies';
import { toErrorFacts } from '../http/error-facts';
import { html } from './html';

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
      res.type('html').send(
        html`<!doctype html>
          <html lang="en">
            <head>
              <meta charset="utf-8" />
              <title>${error.status} · Gemini proxy</title>
            </head>
            <body style="font:15px system-ui,sans-serif;margin:40px">
              <h1 style="font-size:20px">
                ${error.status === 401 ? 'Password required' : `Error ${error.status}`}
              </h1>
              <p>${error.message}</p>
              ${error.status === 401 ? html`<p>Open this page with <code>?key=&lt;password&gt;</code>, or sign in with any user name and the proxy password.</p>` : ''}
            </body>
          </html>`.text,
      );
      return;
    }
    res.json(openAIErrorBody(error));
  }
}
