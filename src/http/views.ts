import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import { join } from 'node:path';

/** The top-level `views/`, reached the same way from `src` (tests) and `dist`. */
export const VIEWS_DIR = join(__dirname, '..', '..', 'views');

/** The one view engine of both apps: Handlebars templates from `views/`. */
export function useViews(app: NestExpressApplication): void {
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
}

/**
 * Renders a view with a callback, so that a template failure ends in a plain 500 (`failure`)
 * instead of Express's default handler, which would print a stack trace into the page outside
 * production.
 */
export function renderView(
  res: Response,
  view: string,
  model: object,
  { status = 200, context, failure }: { status?: number; context: string; failure: string },
): void {
  res.render(view, model, (error: Error | null, html: string) => {
    if (res.headersSent) return;
    if (error) {
      new Logger(context).error(`Could not render the ${view} page: ${error.message}`);
      res.status(500).type('text/plain').send(failure);
      return;
    }
    res.status(status).type('html').send(html);
  });
}
