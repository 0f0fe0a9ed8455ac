import {
  classifyUpstreamError,
  DAILY_QUOTA_REASON,
  isKnownReason,
  Verdict,
} from './error-classifier';
import { TokenGrantError } from '../credentials/service-account-tokens';
import { TokenEndpointError, UpstreamHttpError, UpstreamNetworkError } from './upstream-errors';

const NOW = Date.parse('2026-09-11T10:00:00Z');
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const QUOTA_FAILURE = 'type.googleapis.com/google.rpc.QuotaFailure';
const HELP = 'type.googleapis.com/google.rpc.Help';
const CLOUDCODE = 'cloudcode-pa.googleapis.com';

function rpc(code: number, status: string, message: string, ...details: Record<string, unknown>[]) {
  return { error: { code, message, status, details } };
}

function errorInfo(
  reason: string,
  metadata: Record<string, string> = {},
  domain = 'googleapis.com',
) {
  return { '@type': ERROR_INFO, reason, domain, metadata };
}

function help(url: string) {
  return { '@type': HELP, links: [{ description: 'Fix it here', url }] };
}

function http(status: number, body: unknown, retryAfter?: string): UpstreamHttpError {
  return new UpstreamHttpError(status, body, retryAfter);
}

// For HTTP errors the verdict's message is always Google's message, which UpstreamHttpError also
// carries, so the tables state the rest of the verdict and the assertion adds the message.
type Expected = {
  [A in Verdict['action']]: Omit<Extract<Verdict, { action: A }>, 'message'>;
}[Verdict['action']];
const cool = (
  reason: string,
  untilMs?: number,
  scope: 'model' | 'credential' = 'model',
): Expected => ({
  action: 'cooldown',
  scope,
  untilMs,
  reason,
});
const disable = (reason: string, fixUrl?: string): Expected => ({
  action: 'disable',
  reason,
  fixUrl,
});
const transient = (reason: string): Expected => ({ action: 'transient', reason });
const clientError = (status: number, reason: string): Expected => ({
  action: 'client-error',
  status,
  reason,
});

function expectVerdict(error: UpstreamHttpError, expected: Expected): void {
  expect(classifyUpstreamError(error, NOW)).toEqual({ ...expected, message: error.message });
}

// --- 429 bodies, shaped as reference/upstream.md §1.4 and the peers' issue reports show them ------

/** Gemini API free tier: QuotaFailure + Help + RetryInfo. */
function geminiApiQuota(quotaId: string, retryDelay: string) {
  return rpc(
    429,
    'RESOURCE_EXHAUSTED',
    `You exceeded your current quota. Please retry in ${retryDelay}.`,
    {
      '@type': QUOTA_FAILURE,
      violations: [{ quotaMetric: 'generate_content_free_tier_requests', quotaId }],
    },
    help('https://ai.google.dev/gemini-api/docs/rate-limits'),
    { '@type': RETRY_INFO, retryDelay },
  );
}
const PER_MINUTE = geminiApiQuota('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '34s');
const PER_DAY = geminiApiQuota('GenerateRequestsPerDayPerProjectPerModel-FreeTier', '38s');

/** Code Assist repeats the delay in ErrorInfo metadata, RetryInfo and the message. */
const RATE_LIMITED = rpc(
  429,
  'RESOURCE_EXHAUSTED',
  'You have exhausted your capacity on this model. Your quota will reset after 0s.',
  errorInfo(
    'RATE_LIMIT_EXCEEDED',
    { model: 'gemini-2.5-pro', quotaResetDelay: '479.417207ms' },
    CLOUDCODE,
  ),
  { '@type': RETRY_INFO, retryDelay: '0.479417207s' },
);
const QUOTA_EXHAUSTED = rpc(
  429,
  'RESOURCE_EXHAUSTED',
  'You have exhausted your capacity on this model. Your quota will reset after 2h36m24s.',
  errorInfo(
    'QUOTA_EXHAUSTED',
    { quotaResetDelay: '2h36m24s', quotaResetTimeStamp: '2026-09-11T12:36:24Z' },
    CLOUDCODE,
  ),
);
const RESOURCE_EXHAUSTED = 'Resource has been exhausted (e.g. check quota).';
const QUOTA_EXHAUSTED_NO_DELAY = rpc(
  429,
  'RESOURCE_EXHAUSTED',
  RESOURCE_EXHAUSTED,
  errorInfo('QUOTA_EXHAUSTED', {}, CLOUDCODE),
);
/** peers.md §0: su-kaka/gcli2api #416, Sep 2026. */
const G1_CREDITS = rpc(
  429,
  'RESOURCE_EXHAUSTED',
  'Insufficient credits.',
  errorInfo('INSUFFICIENT_G1_CREDITS_BALANCE', {}, CLOUDCODE),
);
const MODEL_CAPACITY = rpc(
  429,
  'RESOURCE_EXHAUSTED',
  'No capacity available for model gemini-3-flash-preview on the server',
  errorInfo('MODEL_CAPACITY_EXHAUSTED', { model: 'gemini-3-flash-preview' }, CLOUDCODE),
);
const NEW_429_REASON = rpc(
  429,
  'RESOURCE_EXHAUSTED',
  RESOURCE_EXHAUSTED,
  errorInfo('BRAND_NEW_LIMIT'),
);
const IN_STREAM_429 = [
  rpc(429, 'RESOURCE_EXHAUSTED', RESOURCE_EXHAUSTED, { '@type': RETRY_INFO, retryDelay: '5s' }),
];

describe('classifyUpstreamError on 429 and quota reasons', () => {
  // prettier-ignore
  it.each<[string, UpstreamHttpError, Expected]>([
    ['cools the model until RetryInfo on a per-minute quota', http(429, PER_MINUTE), cool('RESOURCE_EXHAUSTED', NOW + 34_000)],
    ['cools the model for the sub-second delay of RATE_LIMIT_EXCEEDED', http(429, RATE_LIMITED), cool('RATE_LIMIT_EXCEEDED', NOW + 480)],
    ['cools the model until the quota resets on QUOTA_EXHAUSTED', http(429, QUOTA_EXHAUSTED), cool('QUOTA_EXHAUSTED', NOW + 9_384_000)],
    ['leaves a QUOTA_EXHAUSTED without delay to the pool as a daily quota', http(429, QUOTA_EXHAUSTED_NO_DELAY), cool(DAILY_QUOTA_REASON)],
    ['ignores the short RetryInfo of a per-day quota', http(429, PER_DAY), cool(DAILY_QUOTA_REASON)],
    ['cools the whole credential on INSUFFICIENT_G1_CREDITS_BALANCE', http(429, G1_CREDITS), cool('INSUFFICIENT_G1_CREDITS_BALANCE', undefined, 'credential')],
    ['cools on an unknown 429 reason and names the status first', http(429, NEW_429_REASON), cool('RESOURCE_EXHAUSTED (BRAND_NEW_LIMIT)')],
    ['cools on a plain-text 429 until its Retry-After', http(429, 'Too Many Requests', '7'), cool('RESOURCE_EXHAUSTED', NOW + 7000)],
    ['cools on an error that arrived inside a 200 stream', http(200, IN_STREAM_429), cool('RESOURCE_EXHAUSTED', NOW + 5000)],
    ["treats MODEL_CAPACITY_EXHAUSTED as Google's problem, not the credential's", http(429, MODEL_CAPACITY), transient('MODEL_CAPACITY_EXHAUSTED')],
  ])('%s', (_case, error, expected) => expectVerdict(error, expected));
});

// --- 401 / 403 / 400 bodies ------------------------------------------------------------------

/** peers.md §0: "403 … (#3501) SUBSCRIPTION_REQUIRED"; Code Assist sent this detail without @type. */
const SUBSCRIPTION_REQUIRED = rpc(
  403,
  'PERMISSION_DENIED',
  'You do not have a valid license of this product. Please contact your administrator to request a license. (#3501)',
  { reason: 'SUBSCRIPTION_REQUIRED', domain: 'cloudaicompanion.googleapis.com' },
);
/** gemini-cli #1343 (reference/upstream.md §11.2): the Code Assist API is not enabled on the project. */
const ACTIVATION_URL =
  'https://console.developers.google.com/apis/api/cloudaicompanion.googleapis.com/overview?project=123';
const SERVICE_DISABLED = rpc(
  403,
  'PERMISSION_DENIED',
  `Gemini for Google Cloud API has not been used in project 123 before or it is disabled. Enable it by visiting ${ACTIVATION_URL} then retry.`,
  errorInfo('SERVICE_DISABLED', {
    activationUrl: ACTIVATION_URL,
    consumer: 'projects/123',
    service: 'cloudaicompanion.googleapis.com',
  }),
  help(ACTIVATION_URL),
);
/** peers.md §4.2: VALIDATION_REQUIRED carries its link in metadata, a Help detail or only the text. */
const VERIFY_URL = 'https://accounts.google.com/signin/continue?sarp=1&plt=AKgnsb';
const VALIDATION_IN_METADATA = rpc(
  403,
  'PERMISSION_DENIED',
  'Verify your account to continue.',
  errorInfo('VALIDATION_REQUIRED', { validation_url: VERIFY_URL }, CLOUDCODE),
);
const VALIDATION_IN_HELP = rpc(
  403,
  'PERMISSION_DENIED',
  'User verification required.',
  errorInfo('VALIDATION_REQUIRED', {}, CLOUDCODE),
  help(VERIFY_URL),
);
const VALIDATION_IN_TEXT = rpc(
  403,
  'PERMISSION_DENIED',
  `Verify your account to continue. ${VERIFY_URL}.`,
  errorInfo('VALIDATION_REQUIRED'),
);
const UNSUPPORTED_CLIENT = rpc(
  403,
  'PERMISSION_DENIED',
  'This client is no longer supported for Gemini Code Assist for individuals.',
  errorInfo('UNSUPPORTED_CLIENT', {}, CLOUDCODE),
);
const IAM_CONSOLE = 'https://console.developers.google.com/iam-admin/iam/project?project=acme';
const USER_PROJECT_DENIED = rpc(
  403,
  'PERMISSION_DENIED',
  'Caller does not have required permission to use project acme.',
  help(IAM_CONSOLE),
  errorInfo('USER_PROJECT_DENIED', {
    consumer: 'projects/acme',
    service: 'cloudaicompanion.googleapis.com',
  }),
);
const API_KEY_INVALID = rpc(
  400,
  'INVALID_ARGUMENT',
  'API key not valid. Please pass a valid API key.',
  errorInfo('API_KEY_INVALID', { service: 'generativelanguage.googleapis.com' }),
);
/** What some accounts' `AQ.` authorization keys get on every call (discuss threads 174585, 175711). */
const AUTH_KEY_REFUSED = rpc(
  401,
  'UNAUTHENTICATED',
  'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal.',
  errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED', { service: 'generativelanguage.googleapis.com' }),
);
const UNKNOWN_403 = rpc(403, 'PERMISSION_DENIED', 'Denied.', errorInfo('SOMETHING_NEW'));
const BARE_403 = rpc(403, 'PERMISSION_DENIED', 'The caller does not have permission');
const UNAUTHENTICATED = rpc(
  401,
  'UNAUTHENTICATED',
  'Request had invalid authentication credentials.',
);
const TOKEN_EXPIRED = rpc(
  401,
  'UNAUTHENTICATED',
  'Token expired.',
  errorInfo('ACCESS_TOKEN_EXPIRED'),
);

describe('classifyUpstreamError on credential problems', () => {
  // prettier-ignore
  it.each<[string, UpstreamHttpError, Expected]>([
    ['refreshes the token on 401 UNAUTHENTICATED', http(401, UNAUTHENTICATED), { action: 'refresh', reason: 'UNAUTHENTICATED' }],
    ['refreshes the token on ACCESS_TOKEN_EXPIRED', http(401, TOKEN_EXPIRED), { action: 'refresh', reason: 'ACCESS_TOKEN_EXPIRED' }],
    ['disables on SUBSCRIPTION_REQUIRED (#3501)', http(403, SUBSCRIPTION_REQUIRED), disable('SUBSCRIPTION_REQUIRED')],
    ['disables on SERVICE_DISABLED and links to its activationUrl', http(403, SERVICE_DISABLED), disable('SERVICE_DISABLED', ACTIVATION_URL)],
    ['disables on VALIDATION_REQUIRED and links to its validation_url', http(403, VALIDATION_IN_METADATA), disable('VALIDATION_REQUIRED', VERIFY_URL)],
    ['disables on VALIDATION_REQUIRED and links to its Help link', http(403, VALIDATION_IN_HELP), disable('VALIDATION_REQUIRED', VERIFY_URL)],
    ['disables on VALIDATION_REQUIRED and takes the link from the text', http(403, VALIDATION_IN_TEXT), disable('VALIDATION_REQUIRED', VERIFY_URL)],
    ['disables on UNSUPPORTED_CLIENT after the 2026 sunset', http(403, UNSUPPORTED_CLIENT), disable('UNSUPPORTED_CLIENT')],
    ['disables on USER_PROJECT_DENIED and links to its Help page', http(403, USER_PROJECT_DENIED), disable('USER_PROJECT_DENIED', IAM_CONSOLE)],
    ['disables on an unknown 403 reason and names the status first', http(403, UNKNOWN_403), disable('PERMISSION_DENIED (SOMETHING_NEW)')],
    ['disables on a 403 without details', http(403, BARE_403), disable('PERMISSION_DENIED')],
    ['disables an invalid API key although the status is 400', http(400, API_KEY_INVALID), disable('API_KEY_INVALID')],
    ['disables an AQ. key Google refuses with ACCESS_TOKEN_TYPE_UNSUPPORTED, not a refresh', http(401, AUTH_KEY_REFUSED), disable('ACCESS_TOKEN_TYPE_UNSUPPORTED')],
  ])('%s', (_case, error, expected) => expectVerdict(error, expected));

  it.each([
    'CONSUMER_INVALID',
    'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
    'API_KEY_SERVICE_BLOCKED',
    'IAM_PERMISSION_DENIED',
    'RESTRICTED_AGE',
  ])('disables on %s', (reason) =>
    expectVerdict(
      http(403, rpc(403, 'PERMISSION_DENIED', 'Denied.', errorInfo(reason))),
      disable(reason),
    ),
  );
});

describe('classifyUpstreamError on other statuses', () => {
  const NOT_FOUND = rpc(404, 'NOT_FOUND', 'Requested entity was not found.');
  const MISSING_SIGNATURE = rpc(
    400,
    'INVALID_ARGUMENT',
    'Function call is missing a thought_signature in functionCall parts.',
  );
  const LOCATION = rpc(
    400,
    'FAILED_PRECONDITION',
    'User location is not supported for the API use.',
  );

  // prettier-ignore
  it.each<[string, UpstreamHttpError, Expected]>([
    ['marks the model unavailable on 404 (gzzhongqi/geminicli2api #18)', http(404, NOT_FOUND), { action: 'model-unavailable', reason: 'NOT_FOUND' }],
    ['retries elsewhere on 500 INTERNAL', http(500, rpc(500, 'INTERNAL', 'Internal error encountered.')), transient('INTERNAL')],
    ['retries elsewhere on 503 UNAVAILABLE', http(503, rpc(503, 'UNAVAILABLE', 'The model is overloaded.')), transient('UNAVAILABLE')],
    ['retries elsewhere on 504 DEADLINE_EXCEEDED', http(504, rpc(504, 'DEADLINE_EXCEEDED', 'Deadline expired.')), transient('DEADLINE_EXCEEDED')],
    ['retries elsewhere on a 502 with an HTML body', http(502, '<html>502 Bad Gateway</html>'), transient('HTTP_502')],
    ['retries elsewhere on 408', http(408, ''), transient('DEADLINE_EXCEEDED')],
    ['returns a bad request to the client', http(400, MISSING_SIGNATURE), clientError(400, 'INVALID_ARGUMENT')],
    ['fails over, never disabling, on "User location is not supported": a fault of the route out', http(400, LOCATION), transient('ROUTE_OUT_LOCATION')],
    ['returns another failed precondition to the client', http(400, rpc(400, 'FAILED_PRECONDITION', 'Precondition check failed.')), clientError(400, 'FAILED_PRECONDITION')],
    ['returns a 413 to the client', http(413, 'Request Entity Too Large'), clientError(413, 'INVALID_ARGUMENT')],
    ['returns a 499 CANCELLED to the client', http(499, rpc(499, 'CANCELLED', 'The operation was cancelled.')), clientError(499, 'CANCELLED')],
  ])('%s', (_case, error, expected) => expectVerdict(error, expected));
});

describe('classifyUpstreamError on network failures', () => {
  it('returns an aborted request to the client as 499', () => {
    const verdict = classifyUpstreamError(
      new UpstreamNetworkError('aborted', 'client went away'),
      NOW,
    );
    expect(verdict).toEqual({
      action: 'client-error',
      status: 499,
      reason: 'aborted',
      message: 'client went away',
    });
  });

  it.each(['timeout', 'connection', 'protocol'] as const)(
    'retries elsewhere after a %s failure',
    (failure) => {
      const verdict = classifyUpstreamError(new UpstreamNetworkError(failure, 'boom'), NOW);
      expect(verdict).toEqual({ action: 'transient', reason: failure, message: 'boom' });
    },
  );

  it('returns a raw fetch AbortError to the client as 499', () => {
    const verdict = classifyUpstreamError(
      new DOMException('This operation was aborted', 'AbortError'),
      NOW,
    );
    expect(verdict).toMatchObject({ action: 'client-error', status: 499, reason: 'aborted' });
  });

  it('retries elsewhere after a raw fetch TimeoutError', () => {
    const verdict = classifyUpstreamError(
      new DOMException('The operation timed out', 'TimeoutError'),
      NOW,
    );
    expect(verdict).toEqual({
      action: 'transient',
      reason: 'timeout',
      message: 'The operation timed out',
    });
  });
});

/** What google-auth-library throws when the token endpoint refuses a refresh. */
function gaxiosError(status: number, data: unknown, message = 'request failed') {
  return Object.assign(new Error(message), { response: { status, data, headers: {} } });
}

describe('classifyUpstreamError on OAuth refresh failures', () => {
  const INVALID_GRANT = {
    action: 'disable',
    reason: 'invalid_grant',
    message: 'refresh token expired or revoked; log the account in again',
  };

  it('disables a credential whose refresh token Google revoked', () => {
    const error = gaxiosError(400, {
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    expect(classifyUpstreamError(error, NOW)).toEqual(INVALID_GRANT);
  });

  it('disables on invalid_grant found only in the message', () => {
    expect(classifyUpstreamError(new Error('invalid_grant'), NOW)).toEqual(INVALID_GRANT);
  });

  it('disables on a token answer wrapped as an UpstreamHttpError', () => {
    const error = http(400, { error: 'invalid_grant', error_description: 'Bad Request' });
    expect(classifyUpstreamError(error, NOW)).toEqual(INVALID_GRANT);
  });

  it('disables when the OAuth client itself is rejected', () => {
    const error = gaxiosError(401, {
      error: 'invalid_client',
      error_description: 'The OAuth client was not found.',
    });
    expect(classifyUpstreamError(error, NOW)).toMatchObject({
      action: 'disable',
      reason: 'invalid_client',
    });
  });

  it('retries later when the token endpoint is only unavailable', () => {
    const error = gaxiosError(503, {
      error: 'temporarily_unavailable',
      error_description: 'Try again.',
    });
    expect(classifyUpstreamError(error, NOW)).toEqual({
      action: 'transient',
      reason: 'oauth_refresh_failed',
      message: 'Try again.',
    });
  });

  it('classifies a GaxiosError that carries a Google RPC body by its status', () => {
    const error = gaxiosError(
      429,
      geminiApiQuota('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '12s'),
    );
    expect(classifyUpstreamError(error, NOW)).toMatchObject({
      action: 'cooldown',
      untilMs: NOW + 12_000,
    });
  });
});

describe('classifyUpstreamError on anything else', () => {
  it('retries elsewhere after an unrecognised Error', () => {
    const verdict = classifyUpstreamError(new TypeError('x is undefined'), NOW);
    expect(verdict).toEqual({ action: 'transient', reason: 'unknown', message: 'x is undefined' });
  });

  it('retries elsewhere after a thrown string', () => {
    const verdict = classifyUpstreamError('socket hang up', NOW);
    expect(verdict).toEqual({ action: 'transient', reason: 'unknown', message: 'socket hang up' });
  });
});

describe('isKnownReason', () => {
  it.each([
    'SUBSCRIPTION_REQUIRED',
    'RATE_LIMIT_EXCEEDED',
    'PERMISSION_DENIED',
    'timeout',
    'invalid_grant',
    DAILY_QUOTA_REASON,
  ])('knows %s', (reason) => expect(isKnownReason(reason)).toBe(true));

  it('flags the reason of a verdict built from an unrecognised Google reason', () => {
    expect(isKnownReason(classifyUpstreamError(http(403, UNKNOWN_403), NOW).reason)).toBe(false);
  });
});

describe('classifyUpstreamError on Vertex AI answers', () => {
  const VERTEX_429 = rpc(
    429,
    'RESOURCE_EXHAUSTED',
    'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.',
  );
  const VERTEX_IAM = rpc(
    403,
    'PERMISSION_DENIED',
    "Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash' (or it may not exist).",
    errorInfo(
      'IAM_PERMISSION_DENIED',
      { permission: 'aiplatform.endpoints.predict' },
      'aiplatform.googleapis.com',
    ),
  );

  // prettier-ignore
  it.each<[string, UpstreamHttpError, Expected]>([
    ['cools the model on Vertex’s bare 429, leaving the delay to the backoff', http(429, VERTEX_429), cool('RESOURCE_EXHAUSTED')],
    ['disables a service account without the Vertex AI User role', http(403, VERTEX_IAM), disable('IAM_PERMISSION_DENIED')],
  ])('%s', (_case, error, expected) => expectVerdict(error, expected));

  it('disables a service account whose key the token endpoint refuses', () => {
    const refused = new TokenGrantError(400, {
      error: 'invalid_grant',
      error_description: 'Invalid JWT Signature.',
    });
    expect(classifyUpstreamError(new TokenEndpointError(refused), NOW)).toMatchObject({
      action: 'disable',
      reason: 'invalid_grant',
    });
  });
});
