import { ApiError } from './api-error';
import { googleStatusFor } from './google-status';

/** Google's RPC error shape; Google's own body is returned verbatim when there is one. */
export function googleErrorBody(error: ApiError): unknown {
  const upstream = error.upstreamBody as { error?: unknown } | undefined;
  if (upstream && typeof upstream === 'object' && upstream.error) return upstream;
  return {
    error: {
      code: error.status,
      message: error.message,
      status: error.googleStatus ?? googleStatusFor(error.status),
    },
  };
}

/**
 * The error shape of the API a path belongs to: Google's under /v1beta and for Google's
 * `/v1/models/{model}:{action}` (a colon action is no other dialect's), OpenAI's elsewhere.
 */
export function errorBodyForPath(path: string, error: ApiError): unknown {
  const google = path.startsWith('/v1beta') || /^\/v1\/models\/[^/]*:/.test(path);
  return google ? googleErrorBody(error) : openAIErrorBody(error);
}

/** OpenAI's error shape; the openai SDK picks its error class from the HTTP status. */
export function openAIErrorBody(error: ApiError): unknown {
  return {
    error: {
      message: error.message,
      type: openAIType(error),
      param: error.param ?? null,
      code: error.code ?? (error.googleStatus ? error.googleStatus.toLowerCase() : null),
    },
  };
}

function openAIType(error: ApiError): string {
  switch (error.kind) {
    case 'invalid_request':
    case 'not_found':
      return 'invalid_request_error';
    case 'authentication':
      return 'authentication_error';
    case 'permission':
      return 'permission_error';
    case 'rate_limited':
      return 'rate_limit_error';
    case 'no_credentials':
    case 'upstream':
    case 'timeout':
      return 'api_error';
    case 'internal':
      return 'server_error';
  }
}
