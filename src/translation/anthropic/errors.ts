import { randomBytes } from 'node:crypto';
import type { ApiError } from '../../errors/api-error';
import type { Dialect } from '../../errors/dialect';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
  request_id?: string;
}

export const REQUEST_ID_HEADER = 'request-id';

export const newRequestId = (): string => `req_${randomBytes(12).toString('hex')}`;

/** Anthropic's status for "overloaded"; the SDK and Claude Code retry it after `retry-after`. */
const OVERLOADED = 529;

/**
 * Google's over-long prompt message → Anthropic's wording, which Claude Code's automatic
 * compaction recognises ("prompt is too long: N tokens > M maximum").
 */
function anthropicMessage(message: string): string {
  const m =
    /input token count \(?(\d+)\)? exceeds the maximum number of tokens allowed \(?(\d+)\)?/i.exec(
      message,
    );
  return m ? `prompt is too long: ${m[1]} tokens > ${m[2]} maximum` : message;
}

/**
 * The proxy's domain error in Anthropic's terms: the status the Anthropic SDK picks its error
 * class from, and the error type Claude Code keys its recovery on. Google's 503 ("the model is
 * overloaded") becomes Anthropic's 529 `overloaded_error`; the proxy's own 503 (no usable
 * credential) stays a 503 `api_error`, since waiting a second would not help.
 */
export function toAnthropicError(
  error: ApiError,
  requestId?: string,
): { status: number; body: AnthropicErrorBody } {
  const { status, type } = statusAndType(error);
  const body: AnthropicErrorBody = {
    type: 'error',
    error: { type, message: anthropicMessage(error.message) },
  };
  if (requestId) body.request_id = requestId;
  return { status, body };
}

function statusAndType(error: ApiError): { status: number; type: AnthropicErrorType } {
  switch (error.status) {
    case 401:
      return { status: 401, type: 'authentication_error' };
    case 403:
      return { status: 403, type: 'permission_error' };
    case 404:
      return { status: 404, type: 'not_found_error' };
    case 413:
      return { status: 413, type: 'request_too_large' };
    case 429:
      return { status: 429, type: 'rate_limit_error' };
    case 503:
      return error.kind === 'no_credentials'
        ? { status: 503, type: 'api_error' }
        : { status: OVERLOADED, type: 'overloaded_error' };
    case 504:
      return { status: 504, type: 'timeout_error' };
    default:
      if (error.status >= 500) return { status: error.status, type: 'api_error' };
      return { status: error.status, type: 'invalid_request_error' };
  }
}

/** An error as Anthropic streams it once the answer has started: an `error` event. */
export function errorEvent(body: AnthropicErrorBody): string {
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

/** Anthropic's Messages API, and its model routes for requests that carry `anthropic-version`. */
export const anthropicDialect: Dialect = {
  errorOf: (error, requestId) => toAnthropicError(error, requestId),
  streamErrorEvent: (error, requestId) => errorEvent(toAnthropicError(error, requestId).body),
  requestId: { header: REQUEST_ID_HEADER, create: newRequestId },
};
