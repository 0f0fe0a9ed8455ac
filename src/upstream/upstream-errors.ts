import { readGoogleError } from '../errors/google-error';
import type { Verdict } from './error-classifier';

/**
 * Failures met while talking to Google. They carry facts only; the dispatcher classifies them and
 * the error filter decides the wire shape.
 */
export class UpstreamHttpError extends Error {
  constructor(
    readonly status: number,
    /** The parsed JSON body when Google sent JSON, else the raw text. */
    readonly body: unknown,
    readonly retryAfterHeader?: string,
  ) {
    super(upstreamMessage(status, body));
    this.name = 'UpstreamHttpError';
  }
}

export type NetworkFailure = 'timeout' | 'connection' | 'aborted' | 'protocol';

/** No usable HTTP answer: a timeout, a reset or refused connection, or a malformed stream. */
export class UpstreamNetworkError extends Error {
  constructor(
    readonly failure: NetworkFailure,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamNetworkError';
  }
}

/**
 * Google's token endpoint failed (reached through google-auth-library, whose errors come in its
 * own shapes). Wrapping marks the failure as Google's, so that it may change the credential's
 * state; the classifier reads the cause as it came.
 */
export class TokenEndpointError extends Error {
  constructor(readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'TokenEndpointError';
  }
}

/**
 * Google refused to set the credential up (an ineligible account, a project it needs, onboarding
 * that does not finish). The backend that met it gives its verdict; the cause is kept for the
 * client's answer.
 */
export class CredentialSetupError extends Error {
  constructor(
    readonly verdict: Verdict,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'CredentialSetupError';
  }
}

/**
 * Google's answer, the network to Google, its token endpoint or its onboarding: the failures that
 * may change a credential's state. Anything else thrown during an attempt is the proxy's own.
 */
export function isFromGoogle(error: unknown): boolean {
  return (
    error instanceof UpstreamHttpError ||
    error instanceof UpstreamNetworkError ||
    error instanceof TokenEndpointError ||
    error instanceof CredentialSetupError
  );
}

function upstreamMessage(status: number, body: unknown): string {
  const message = readGoogleError(body)?.message;
  if (message !== undefined) return message;
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  return `Google answered HTTP ${status}`;
}
