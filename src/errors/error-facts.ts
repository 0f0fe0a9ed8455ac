import { HttpException, Logger } from '@nestjs/common';
import { ApiError } from './api-error';
import { errorKindFor } from './error-kinds';

const logger = new Logger('Errors');

/** Normalises anything thrown while serving a request into the proxy's domain error. */
export function toErrorFacts(exception: unknown): ApiError {
  // Google's failures arrive as ApiError already: the dispatcher converts them, and so does the
  // stream it hands back (observed-stream.ts) for the ones met mid-stream.
  if (exception instanceof ApiError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let message = exception.message;
    if (response && typeof response === 'object') {
      const m = (response as { message?: unknown }).message;
      if (Array.isArray(m)) message = m.join('; ');
      else if (typeof m === 'string') message = m;
    }
    if (status === 404 && /^Cannot (GET|POST|PUT|DELETE|PATCH)/.test(message)) {
      message = `${message.replace(/^Cannot /, 'No route for ')}. See the README for the supported routes.`;
    }
    return new ApiError({ status, kind: errorKindFor(status, 'proxy'), message });
  }
  logger.error(
    exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
  );
  return new ApiError({
    status: 500,
    kind: 'internal',
    message: 'Internal proxy error; see the proxy log.',
  });
}
