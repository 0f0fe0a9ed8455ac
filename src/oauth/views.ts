import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { join } from 'node:path';
import type { ErrorPage, LoginPage, SuccessPage } from './page-models';

/** The top-level `views/`, reached the same way from `src/oauth` (tests) and `dist/oauth`. */
export const VIEWS_DIR = join(__dirname, '..', '..', 'views');

interface Views {
  login: LoginPage;
  success: SuccessPage;
  error: ErrorPage;
}

const logger = new Logger('Generator');

/**
 * Renders a view with a callback, so that a template failure ends in a plain 500 instead of
 * Express's default handler, which would print a stack trace into the page outside production.
 */
export function renderPage<V extends keyof Views>(
  res: Response,
  view: V,
  model: Views[V],
  status = 200,
): void {
  res.render(view, model, (error: Error | null, html: string) => {
    if (res.headersSent) return;
    if (error) {
      logger.error(`Could not render the ${view} page: ${error.message}`);
      res.status(500).type('text/plain').send('The generator could not render this page.');
      return;
    }
    res.status(status).type('html').send(html);
  });
}
