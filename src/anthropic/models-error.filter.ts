import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { googleErrorBody, openAIErrorBody } from '../errors/error-bodies';
import { toErrorFacts } from '../errors/error-facts';
import { sendError } from '../http/error-response';
import { openAIErrorFrame } from '../translation/openai/frames';
import { sendAnthropicError } from './anthropic-error-response';

/**
 * `/v1/models` is shared with the OpenAI and Gemini dialects, and the password guard runs before the
 * route can pass a request on: a failure there is answered in the dialect of the request,
 * Anthropic's when it carries `anthropic-version`, Google's for Google's SDKs (`x-goog-api-client`),
 * OpenAI's otherwise.
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
    const google = req.headers['x-goog-api-client'] !== undefined;
    sendError(
      res,
      error,
      google ? googleErrorBody(error) : openAIErrorBody(error),
      openAIErrorFrame,
    );
  }
}
