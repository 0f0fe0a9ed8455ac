import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Inject,
  Logger,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Response } from 'express';
import { oauthConfig } from '../config/configuration';
import { loginErrorPage, notFoundPage, unexpectedErrorPage } from './error-page';
import { LoginError } from './login-errors';
import type { ErrorPage } from './page-models';
import { renderPage } from './views';

/** Every failure in the generator app becomes the error page: Google's reason, never a stack or secret. */
@Catch()
export class GeneratorErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Generator');

  constructor(@Inject(oauthConfig.KEY) private readonly oauth: ConfigType<typeof oauthConfig>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const page = this.describe(exception);
    if (res.headersSent) {
      res.end();
      return;
    }
    renderPage(res, 'error', page, page.status);
  }

  private describe(exception: unknown): ErrorPage {
    if (exception instanceof LoginError) {
      const { failure } = exception;
      const who = 'email' in failure ? ` for ${failure.email}` : '';
      const detail =
        failure.kind === 'bad-state'
          ? ` (${failure.problem})`
          : failure.kind === 'token-exchange' || failure.kind === 'consent-refused'
            ? ` (${failure.error ?? 'no error code'})`
            : '';
      this.logger.warn(`Login failed${who}: ${failure.kind}${detail}`);
      return loginErrorPage(failure, { redirectUri: this.oauth.redirectUri });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return status === 404 ? notFoundPage() : unexpectedErrorPage(status);
    }
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`Unexpected ${error.name}: ${error.message}`, error.stack);
    return unexpectedErrorPage();
  }
}
