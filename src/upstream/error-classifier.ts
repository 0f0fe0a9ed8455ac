import { googleStatusName, isGoogleStatusName } from '../errors/google-status';
import {
  CredentialSetupError,
  TokenEndpointError,
  UpstreamHttpError,
  UpstreamNetworkError,
} from './upstream-errors';
import { GoogleError, readGoogleError } from '../errors/google-error';
import { retryHint, type RetryHint } from './retry-delay';
import { isRecord } from '../json/is-record';

/**
 * What the dispatcher should do about a failed upstream call, decided from the HTTP status and
 * Google's `ErrorInfo.reason` together: peers that key on the status alone ban accounts for 400s
 * and miss new 429 reasons (peers.md §4.1, §5 item 2).
 */
export type Verdict =
  | {
      action: 'cooldown';
      scope: 'model' | 'credential';
      /** Absolute time (ms) when Google said the quota resets; undefined lets the pool back off. */
      untilMs?: number;
      reason: string;
      message: string;
    }
  | { action: 'refresh'; reason: string; message: string }
  | { action: 'disable'; reason: string; message: string; fixUrl?: string }
  | { action: 'model-unavailable'; reason: string; message: string }
  | { action: 'transient'; reason: string; message: string }
  | { action: 'client-error'; status: number; reason: string; message: string };

/** Reason given to a daily quota when Google names no reset time; the pool picks a long backoff. */
export const DAILY_QUOTA_REASON = 'DAILY_QUOTA_EXHAUSTED';

/**
 * Reasons that mean the credential cannot serve anything until a person acts: a licence
 * (SUBSCRIPTION_REQUIRED, "#3501"), account verification, a disabled API, the 2026 Code Assist
 * sunset (UNSUPPORTED_CLIENT), or a bad or restricted API key (google/api/error_reason.proto).
 */
const DISABLE_REASONS = new Set([
  'SUBSCRIPTION_REQUIRED',
  'VALIDATION_REQUIRED',
  'SERVICE_DISABLED',
  'BILLING_DISABLED',
  'UNSUPPORTED_CLIENT',
  'CONSUMER_INVALID',
  'CONSUMER_SUSPENDED',
  'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
  'API_KEY_INVALID',
  // Google's 2026 `AQ.` authorization keys: some accounts' keys are refused this way on every call.
  'ACCESS_TOKEN_TYPE_UNSUPPORTED',
  'API_KEY_SERVICE_BLOCKED',
  'API_KEY_HTTP_REFERRER_BLOCKED',
  'API_KEY_IP_ADDRESS_BLOCKED',
  'USER_PROJECT_DENIED',
  'IAM_PERMISSION_DENIED',
  'SECURITY_POLICY_VIOLATED',
  // gemini-cli's IneligibleTierReasonCode values; Google also puts them in 403 ErrorInfo details.
  'UNSUPPORTED_LOCATION',
  'INELIGIBLE_ACCOUNT',
  'DASHER_USER',
  'NON_USER_ACCOUNT',
  'RESTRICTED_AGE',
  'RESTRICTED_NETWORK',
]);

const COOLDOWN_REASONS = new Set([
  'RATE_LIMIT_EXCEEDED',
  'QUOTA_EXHAUSTED',
  'RESOURCE_EXHAUSTED',
  'RESOURCE_QUOTA_EXCEEDED',
  'INSUFFICIENT_G1_CREDITS_BALANCE',
]);

/**
 * A 429 "No capacity available for model … on the server" (MODEL_CAPACITY_EXHAUSTED) is Google's
 * capacity, not this credential's quota: cooling the credential for it would punish the wrong party.
 */
const TRANSIENT_REASONS = new Set(['MODEL_CAPACITY_EXHAUSTED']);

const REFRESH_REASONS = new Set(['ACCESS_TOKEN_EXPIRED', 'CREDENTIALS_MISSING']);

/**
 * Google's "User location is not supported for the API use." (400 FAILED_PRECONDITION) judges
 * the address the call left from, not the key: the same key works through a proxy elsewhere. It
 * is a fault of the route out, so the call fails over and the key is never disabled for it.
 */
export const ROUTE_OUT_LOCATION_REASON = 'ROUTE_OUT_LOCATION';
const LOCATION_REFUSAL = /User location is not supported/i;

/** OAuth token-endpoint errors that no retry fixes. */
const OAUTH_DISABLE: Record<string, string> = {
  invalid_grant: 'refresh token expired or revoked; log the account in again',
  invalid_client: 'the OAuth client id or secret was rejected; check the credential file',
  unauthorized_client: 'the OAuth client may not use this refresh token; log the account in again',
};

/** Our own reasons, for failures that carry no Google reason. */
const LOCAL_REASONS = new Set([
  'timeout',
  'connection',
  'protocol',
  'aborted',
  'unknown',
  'oauth_refresh_failed',
  ROUTE_OUT_LOCATION_REASON,
  // Raised by the Code Assist backend when onboarding cannot finish.
  'PROJECT_REQUIRED',
  'ONBOARDING_PENDING',
  'INELIGIBLE',
  DAILY_QUOTA_REASON,
  ...Object.keys(OAUTH_DISABLE),
]);

/** True for every reason this classifier maps on purpose; the caller logs the others once. */
export function isKnownReason(reason: string): boolean {
  return (
    DISABLE_REASONS.has(reason) ||
    COOLDOWN_REASONS.has(reason) ||
    TRANSIENT_REASONS.has(reason) ||
    REFRESH_REASONS.has(reason) ||
    LOCAL_REASONS.has(reason) ||
    isGoogleStatusName(reason) ||
    // The label of a status Google's table does not name.
    /^HTTP_\d{3}$/.test(reason)
  );
}

export function classifyUpstreamError(error: unknown, now: number): Verdict {
  if (error instanceof TokenEndpointError) return classifyUpstreamError(error.cause, now);
  if (error instanceof CredentialSetupError) return error.verdict;
  if (error instanceof UpstreamHttpError) {
    return classifyHttp(error.status, error.body, error.retryAfterHeader, now);
  }
  if (error instanceof UpstreamNetworkError) return classifyNetwork(error);
  const oauth = oauthFailure(error);
  if (oauth) return classifyOAuth(oauth.code, oauth.description);
  const gaxios = gaxiosResponse(error);
  if (gaxios) return classifyHttp(gaxios.status, gaxios.data, gaxios.retryAfter, now);
  const name = isRecord(error) ? error.name : undefined;
  const message =
    isRecord(error) && typeof error.message === 'string' ? error.message : String(error);
  // fetch rejects with these DOMException names (a DOMException may come from another realm, so
  // the name is read rather than instanceof); the upstream client should wrap them, but a client
  // hang-up that slips through must still never cool a credential.
  if (name === 'AbortError')
    return { action: 'client-error', status: 499, reason: 'aborted', message };
  if (name === 'TimeoutError') return { action: 'transient', reason: 'timeout', message };
  return { action: 'transient', reason: 'unknown', message };
}

function classifyNetwork(error: UpstreamNetworkError): Verdict {
  switch (error.failure) {
    case 'aborted':
      return { action: 'client-error', status: 499, reason: 'aborted', message: error.message };
    case 'timeout':
    case 'connection':
    case 'protocol':
      return { action: 'transient', reason: error.failure, message: error.message };
  }
}

function classifyOAuth(code: string, description: string | undefined): Verdict {
  const fixed = OAUTH_DISABLE[code];
  if (fixed) return { action: 'disable', reason: code, message: fixed };
  return { action: 'transient', reason: 'oauth_refresh_failed', message: description ?? code };
}

function classifyHttp(
  status: number,
  body: unknown,
  retryAfter: string | undefined,
  now: number,
): Verdict {
  // A token endpoint answer (`{error:"invalid_grant"}`) wrapped as an HTTP error is a refresh failure.
  const oauth = oauthBody(body);
  if (oauth) return classifyOAuth(oauth.code, oauth.description);

  const rpc = readGoogleError(body);
  // An error inside a 200 stream carries its real code only in the body.
  const code = status >= 400 ? status : (rpc?.code ?? status);
  const googleReason = rpc?.errorInfo?.reason;
  const message =
    rpc?.message ??
    (typeof body === 'string' && body.trim() ? body.trim() : `Google answered HTTP ${code}`);
  const statusName = rpc?.status ?? googleStatusName(code) ?? `HTTP_${code}`;
  // Unknown reasons fall back on the status; "PERMISSION_DENIED (NEW_REASON)" keeps the new reason
  // visible in the status view and makes isKnownReason() false so the caller logs it once.
  const fallbackReason = googleReason ? `${statusName} (${googleReason})` : statusName;

  if (code >= 400 && code < 500 && LOCATION_REFUSAL.test(message)) {
    return { action: 'transient', reason: ROUTE_OUT_LOCATION_REASON, message };
  }
  if (googleReason && DISABLE_REASONS.has(googleReason)) {
    return {
      action: 'disable',
      reason: googleReason,
      message,
      fixUrl: fixUrl(googleReason, rpc, message),
    };
  }
  if (googleReason && TRANSIENT_REASONS.has(googleReason)) {
    return { action: 'transient', reason: googleReason, message };
  }
  if ((googleReason && COOLDOWN_REASONS.has(googleReason)) || code === 429) {
    const hint = retryHint(code, body, { retryAfter }, now);
    return cooldown(rpc, hint, now, message, fallbackReason);
  }
  if (statusName === 'UNAVAILABLE' || statusName === 'DEADLINE_EXCEEDED') {
    return { action: 'transient', reason: statusName, message };
  }
  if (code === 401) {
    return {
      action: 'refresh',
      reason: googleReason && REFRESH_REASONS.has(googleReason) ? googleReason : fallbackReason,
      message,
    };
  }
  if (code === 403)
    return { action: 'disable', reason: fallbackReason, message, fixUrl: fixUrl('', rpc, message) };
  if (code === 404) return { action: 'model-unavailable', reason: fallbackReason, message };
  if (code === 499) return { action: 'client-error', status: 499, reason: fallbackReason, message };
  if (code === 408 || code >= 500) return { action: 'transient', reason: fallbackReason, message };
  if (code >= 400) return { action: 'client-error', status: code, reason: fallbackReason, message };
  return { action: 'transient', reason: 'unknown', message };
}

/** Sources that name the quota's real reset; a daily quota's RetryInfo ("38s") does not. */
const RESET_SOURCES = new Set<string>(['quotaResetDelay', 'quotaResetTimeStamp', 'message-reset']);

function cooldown(
  rpc: GoogleError | undefined,
  hint: RetryHint | undefined,
  now: number,
  message: string,
  fallbackReason: string,
): Verdict {
  const googleReason = rpc?.errorInfo?.reason;
  // Google One AI credits belong to the account, not to one model (su-kaka/gcli2api #416, 2026).
  const scope = googleReason === 'INSUFFICIENT_G1_CREDITS_BALANCE' ? 'credential' : 'model';
  const reason = googleReason && COOLDOWN_REASONS.has(googleReason) ? googleReason : fallbackReason;
  const perDay =
    (rpc?.quotaIds ?? []).some((id) => /PerDay|Daily/.test(id)) ||
    /PerDay|Daily/.test(rpc?.errorInfo?.metadata.quota_limit ?? '');
  // A per-day quota 429 from the Gemini API carries RetryInfo "38s" that does not shorten the daily
  // cap; only a reset time is worth waiting for there. QUOTA_EXHAUSTED with no delay is the same case.
  if (perDay || (googleReason === 'QUOTA_EXHAUSTED' && !hint)) {
    if (hint && RESET_SOURCES.has(hint.source)) {
      return { action: 'cooldown', scope, untilMs: now + hint.ms, reason, message };
    }
    return { action: 'cooldown', scope, reason: DAILY_QUOTA_REASON, message };
  }
  return { action: 'cooldown', scope, untilMs: hint ? now + hint.ms : undefined, reason, message };
}

/** The link a person follows to fix a disabled credential, as each reason publishes it. */
function fixUrl(reason: string, rpc: GoogleError | undefined, message: string): string | undefined {
  const metadata = rpc?.errorInfo?.metadata ?? {};
  const fromMetadata =
    metadata.activationUrl ??
    metadata.validation_url ??
    metadata.validationUrl ??
    metadata.validation_link;
  const url = fromMetadata ?? rpc?.helpLinks[0]?.url;
  if (url || reason !== 'VALIDATION_REQUIRED') return url;
  // Some VALIDATION_REQUIRED bodies carry the sign-in link only in the message text.
  return /https:\/\/\S+/.exec(message)?.[0].replace(/[.,;)\]]+$/, '');
}

interface OAuthFailure {
  code: string;
  description?: string;
}

/** google-auth-library surfaces a failed refresh as a GaxiosError whose data is the token endpoint's answer. */
function oauthFailure(error: unknown): OAuthFailure | undefined {
  if (!isRecord(error)) return undefined;
  const response = isRecord(error.response) ? error.response : undefined;
  const fromBody = oauthBody(response?.data);
  if (fromBody) return fromBody;
  if (typeof error.message === 'string' && error.message.includes('invalid_grant')) {
    return { code: 'invalid_grant', description: error.message };
  }
  return undefined;
}

function oauthBody(body: unknown): OAuthFailure | undefined {
  const data = typeof body === 'string' && body.trim().startsWith('{') ? safeParse(body) : body;
  if (!isRecord(data) || typeof data.error !== 'string') return undefined;
  const description =
    typeof data.error_description === 'string' ? data.error_description : undefined;
  return { code: data.error, description };
}

/** A GaxiosError-like object that reached an API and got a Google RPC error back. */
function gaxiosResponse(
  error: unknown,
): { status: number; data: unknown; retryAfter?: string } | undefined {
  if (!isRecord(error) || !isRecord(error.response)) return undefined;
  const { status, data, headers } = error.response;
  if (typeof status !== 'number') return undefined;
  let retryAfter: unknown;
  if (headers instanceof Headers) retryAfter = headers.get('retry-after');
  else if (isRecord(headers)) retryAfter = headers['retry-after'];
  return { status, data, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
