import type { ServerResponse } from 'node:http';
import { newRequestId, REQUEST_ID_HEADER, toAnthropicError } from '../errors/anthropic-errors';
import { ApiError } from '../errors/api-error';
import { toErrorFacts } from '../errors/error-facts';
import { sendError } from '../http/error-response';
import { errorEvent } from '../translation/anthropic/frames';

/**
 * Anthropic's `{"type":"error","error":{"type","message"}}`, with the status the Anthropic SDK
 * picks its error class from, `retry-after` on 429, and the `request-id` header. Once a stream
 * has started, the error becomes its last `error` event. Shared by the Messages routes' filter and
 * the fallback filter (bodies refused before any route).
 */
export function sendAnthropicError(res: ServerResponse, exception: unknown): void {
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
