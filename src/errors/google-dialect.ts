import type { ApiError } from './api-error';
import type { Dialect } from './dialect';
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
 * The native routes speak Google's own wire format, so there is no translation for them: this is
 * their error shape, and an `alt=sse` stream ends with it as a `data:` line.
 */
export const googleDialect: Dialect = {
  errorOf: (error) => ({ status: error.status, body: googleErrorBody(error) }),
  streamErrorEvent: (error) => `data: ${JSON.stringify(googleErrorBody(error))}\n\n`,
};
