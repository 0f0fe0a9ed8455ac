import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { googleErrorBody } from '../errors/error-bodies';
import { toErrorFacts } from '../errors/error-facts';
import { sendError } from '../http/error-response';
import { googleErrorFrame } from './google-frames';

/** Google RPC errors for the native routes; Google's own error body passes through unchanged. */
@Catch()
export class GoogleErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const error = toErrorFacts(exception);
    sendError(res, error, googleErrorBody(error), googleErrorFrame);
  }
}
