import { ArgumentsHost, Catch, ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorBodyForPath } from './errors/error-bodies';
import { toErrorFacts } from './errors/error-facts';
import { sendAnthropicError } from './anthropic/anthropic-error-response';
import { sendError } from './http/error-response';
import { openAIErrorFrame } from './translation/openai/frames';

/**
 * For errors outside any controller's own filter (unknown routes, bad bodies): answers in the
 * dialect the path belongs to: Google's under /v1beta, Anthropic's under /v1/messages (a body too
 * large or not JSON is refused before the route), and OpenAI's elsewhere.
 */
@Catch()
export class FallbackErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const exposed = withoutQuery(exception, req);
    if (req.path.startsWith('/v1/messages')) return sendAnthropicError(res, exposed);
    const error = toErrorFacts(exposed);
    sendError(
      res,
      error,
      errorBodyForPath(req.path, error),
      // Google's and OpenAI's error frames are the same `data:` line.
      openAIErrorFrame,
    );
  }
}

/**
 * Nest's unknown-route 404 repeats the whole URL, `?key=<password>` included; name the path only,
 * so that a secret in the query never comes back in a body that clients and their logs keep.
 */
function withoutQuery(exception: unknown, req: Request): unknown {
  if (!(exception instanceof NotFoundException)) return exception;
  if (exception.message !== `Cannot ${req.method} ${req.originalUrl}`) return exception;
  return new NotFoundException(`Cannot ${req.method} ${req.path}`);
}
