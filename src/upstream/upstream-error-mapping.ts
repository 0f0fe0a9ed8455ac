import { Selection } from '../credentials/credential-pool';
import { ApiError } from '../errors/api-error';
import { errorKindFor } from '../errors/error-kinds';
import { readGoogleError } from '../errors/google-error';
import { googleStatusFor } from '../errors/google-status';
import {
  CredentialSetupError,
  TokenEndpointError,
  UpstreamHttpError,
  UpstreamNetworkError,
} from './upstream-errors';

/** Turns what Google (or the network) did into the proxy's domain error, keeping Google's body. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TokenEndpointError || error instanceof CredentialSetupError) {
    return toApiError(error.cause);
  }
  if (error instanceof UpstreamHttpError) {
    const google = readGoogleError(error.body);
    return new ApiError({
      status: error.status,
      kind: errorKindFor(error.status, 'google'),
      message: error.message,
      googleStatus: google?.status ?? googleStatusFor(error.status),
      upstreamBody: google ? { error: google.raw } : undefined,
      code: google?.errorInfo?.reason,
    });
  }
  if (error instanceof UpstreamNetworkError) {
    switch (error.failure) {
      case 'timeout':
        return new ApiError({ status: 504, kind: 'timeout', message: error.message });
      case 'aborted':
        return new ApiError({ status: 499, kind: 'invalid_request', message: error.message });
      case 'connection':
      case 'protocol':
        return new ApiError({ status: 502, kind: 'upstream', message: error.message });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/invalid_grant/.test(message)) {
    return new ApiError({
      status: 503,
      kind: 'no_credentials',
      message: 'The credential was revoked or expired (invalid_grant); log the account in again.',
    });
  }
  return new ApiError({
    status: 502,
    kind: 'upstream',
    message: `Upstream call failed: ${message}`,
  });
}

/** The answer when no credential can take the request at all. */
export function noCredentialError(
  selection: Exclude<Selection, { outcome: 'selected' }>,
  model: string,
  now: number,
  lastError?: unknown,
): ApiError {
  switch (selection.outcome) {
    case 'empty':
      return new ApiError({
        status: 503,
        kind: 'no_credentials',
        message:
          'No credentials are loaded. Log Google accounts in with `npm run gen-creds`, or set ' +
          'GEMINI_API_KEYS or CREDENTIALS_JSON_LIST, then try again.',
      });
    case 'none-capable':
      return new ApiError({
        status: 503,
        kind: 'no_credentials',
        message:
          'This call needs a Gemini API key (GEMINI_API_KEYS) or a Vertex AI service account in the ' +
          'pool: Code Assist accounts and Vertex express-mode keys have no embeddings API.',
      });
    case 'all-disabled':
      return new ApiError({
        status: 503,
        kind: 'no_credentials',
        message: `Every credential that could serve this call is disabled: ${selection.reasons.join('; ')}. See /admin.`,
      });
    case 'all-cooling': {
      const seconds = Math.max(1, Math.ceil((selection.soonest - now) / 1000));
      const google =
        lastError instanceof UpstreamHttpError ? readGoogleError(lastError.body) : undefined;
      return new ApiError({
        status: 429,
        kind: 'rate_limited',
        message:
          `Every credential is rate-limited for ${model}; the first one is free again in ${seconds}s.` +
          (google?.message ? ` Google said: ${google.message}` : ''),
        googleStatus: 'RESOURCE_EXHAUSTED',
        retryAfterSeconds: seconds,
      });
    }
    case 'exhausted':
      return toApiError(lastError);
  }
}

/** Every credential answered 404 for this model lately: say so, rather than "rate-limited". */
export function modelUnavailable(model: string, soonest: number, now: number): ApiError {
  const minutes = Math.max(1, Math.ceil((soonest - now) / 60_000));
  return new ApiError({
    status: 404,
    kind: 'not_found',
    googleStatus: 'NOT_FOUND',
    message:
      `Model ${model} is not available to any credential in the pool (Google answered 404 for each). ` +
      `Check the model name or the accounts' entitlements; the proxy asks Google again in ${minutes} min.`,
  });
}
