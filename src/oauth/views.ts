import type { Response } from 'express';
import { renderView } from '../http/views';
import type { ErrorPage, LoginPage, SuccessPage } from './page-models';

interface Views {
  login: LoginPage;
  success: SuccessPage;
  error: ErrorPage;
}

/** Renders a generator page in `views/layout.hbs`; a template failure is a plain 500. */
export function renderPage<V extends keyof Views>(
  res: Response,
  view: V,
  model: Views[V],
  status = 200,
): void {
  renderView(res, view, model, {
    status,
    context: 'Generator',
    failure: 'The generator could not render this page.',
  });
}
