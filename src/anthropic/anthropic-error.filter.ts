import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from '../http/api-error';
import { toErrorFacts } from '../http/error-facts';
import { sendError } from '../http/error-response';
import { errorEvent, newRequestId, REQUEST_ID_HEADER, toAnthropicError } from './anthropic-errors';

/**
 * Anthropic's `{"type":"error","error":{"type","message"}}` for every Messages failure, with the
 * status the Anthropic SDK picks its error class from, `retry-after` on 429, and the
 * `request-id` header. Once a stream has started, the error becomes its last `error` event.
 */
@Catch()
export class AnthropicErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const facts = toErrorFacts(exception);
    let requestId = res.getHeader(REQUEST_ID_HEADER);
    if (typeof requestId !== 'string' && !res.headersSent) {
      requestId = newRequestId();
      res.setHeader(REQUEST_ID_HEADER, requestId);
    }
    const { status, body } = toAnthropicError(
      facts,
      typeof requestId === 'string' ? requestId : undefined,
    );
    const sent = new ApiError({
      status,
      kind: facts.kind,
      message: facts.message,
      retryAfterSeconds: facts.retryAfterSeconds,
    });
    sendError(res, sent, body, () => errorEvent(body));
  }
}
