import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { openAIErrorBody } from '../errors/error-bodies';
import { toErrorFacts } from '../errors/error-facts';
import { sendError } from '../http/error-response';
import { openAIErrorFrame } from '../translation/openai/frames';

/**
 * OpenAI's `{error:{message,type,param,code}}` for every `/v1` failure, with Google's message and
 * the HTTP status the openai SDK picks its error class from (and Retry-After on 429). Once a
 * stream has started, the error becomes its last `data:` frame instead.
 */
@Catch()
export class OpenAIErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const error = toErrorFacts(exception);
    sendError(res, error, openAIErrorBody(error), openAIErrorFrame);
  }
}
