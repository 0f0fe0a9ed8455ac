/**
 * The proxy's own domain error: what went wrong, with facts enough for either dialect's filter
 * to render it (OpenAI `{error:{message,type,param,code}}` or Google `{error:{code,message,status}}`).
 */
export type ApiErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'rate_limited'
  | 'no_credentials'
  | 'upstream'
  | 'timeout'
  | 'internal';

export interface ApiErrorInit {
  status: number;
  kind: ApiErrorKind;
  message: string;
  /** Google's `error.status` string (e.g. RESOURCE_EXHAUSTED), when the error came from Google. */
  googleStatus?: string;
  /** Google's own error body, returned verbatim on the native routes. */
  upstreamBody?: unknown;
  /** The request field at fault (OpenAI `param`). */
  param?: string;
  /** Seconds, for the Retry-After header. */
  retryAfterSeconds?: number;
  /** A machine-readable code (OpenAI `code`), e.g. the ErrorInfo reason. */
  code?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly kind: ApiErrorKind;
  readonly googleStatus?: string;
  readonly upstreamBody?: unknown;
  readonly param?: string;
  readonly retryAfterSeconds?: number;
  readonly code?: string;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.kind = init.kind;
    this.googleStatus = init.googleStatus;
    this.upstreamBody = init.upstreamBody;
    this.param = init.param;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.code = init.code;
  }

  static badRequest(message: string, param?: string): ApiError {
    return new ApiError({ status: 400, kind: 'invalid_request', message, param });
  }

  static notFound(message: string): ApiError {
    return new ApiError({ status: 404, kind: 'not_found', message });
  }
}
