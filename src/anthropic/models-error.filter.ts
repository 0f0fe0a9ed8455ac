import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openAIErrorBody } from '../errors/error-bodies';
import { toErrorFacts } from '../errors/error-facts';
import { sendError } from '../http/error-response';
import { openAIErrorFrame } from '../translation/openai-frames';
import { sendAnthropicError } from './anthropic-error-response';

/**
 * `/v1/models` is shared with the OpenAI dialect, and the password guard runs before the route can
 * pass a request on: a failure there is answered in the dialect of the request, Anthropic's when it
 * carries `anthropic-version`, OpenAI's otherwise.
 */
@Catch()
export class ModelsErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    if (req.headers['anthropic-version'] !== undefined) {
      sendAnthropicError(host.switchToHttp().getResponse<ServerResponse>(), exception);
      return;
    }
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const error = toErrorFacts(exception);
    sendError(res, error, openAIErrorBody(error), openAIErrorFrame);
  }
}
