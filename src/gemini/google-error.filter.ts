import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { googleErrorBody } from '../errors/error-bodies';
import { toErrorFacts } from '../errors/error-facts';
import { sendError } from '../http/error-response';

/** Google RPC errors for the native routes; Google's own error body passes through unchanged. */
@Catch()
export class GoogleErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const error = toErrorFacts(exception);
    sendError(res, error, googleErrorBody(error), (b) => `data: ${JSON.stringify(b)}\n\n`);
  }
}
