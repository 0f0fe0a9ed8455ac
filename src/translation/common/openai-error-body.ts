import type { ApiError } from '../../errors/api-error';

/**
 * OpenAI's error envelope, the same on every OpenAI API (Chat Completions, Responses, images,
 * audio); the openai SDK picks its error class from the HTTP status.
 */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIErrorBody(error: ApiError): OpenAIErrorBody {
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
