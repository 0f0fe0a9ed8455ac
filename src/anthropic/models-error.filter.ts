import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { openAIErrorBody } from '../errors/error-bodies';
import { toErrorFacts } from '../errors/error-facts';
import { sendError } from '../http/error-response';
import { AnthropicErrorFilter } from './anthropic-error.filter';

/**
 * `/v1/models` is shared with the OpenAI dialect, and the password guard runs before the route can
 * pass a request on: a failure there is answered in the dialect of the request, Anthropic's when it
 * carries `anthropic-version`, OpenAI's otherwise.
 */
@Catch()
export class ModelsErrorFilter implements ExceptionFilter {
  private readonly anthropic = new AnthropicErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    if (req.headers['anthropic-version'] !== undefined) {
      this.anthropic.catch(exception, host);
      return;
    }
    const res = host.switchToHttp().getResponse<Response>();
    const error = toErrorFacts(exception);
    sendError(res, error, openAIErrorBody(error), (b) => `data: ${JSON.stringify(b)}\n\n`);
  }
}
