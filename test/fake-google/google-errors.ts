import type { CallContext, HttpFault } from './types';

/** The body of every Google API error: `google.rpc.Status` wrapped in `error`. */
export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

export type ErrorBodyFactory = (call: CallContext) => GoogleErrorBody;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'Internal error encountered.',
  503: 'The model is overloaded. Please try again later.',
  504: 'Deadline expired before operation could complete.',
};

export function rpcStatusName(code: number): string {
  return STATUS_NAMES[code] ?? (code >= 500 ? 'INTERNAL' : 'UNKNOWN');
}

export function defaultErrorMessage(code: number): string {
  return DEFAULT_MESSAGES[code] ?? 'Unknown error.';
}

export function googleError(
  code: number,
  message = defaultErrorMessage(code),
  details?: unknown[],
  status = rpcStatusName(code),
): GoogleErrorBody {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

export function errorInfo(reason: string, domain: string, metadata?: Record<string, string>) {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain,
    ...(metadata ? { metadata } : {}),
  };
}

export function helpLinks(links: { description: string; url: string }[]) {
  return { '@type': 'type.googleapis.com/google.rpc.Help', links };
}

/** The header Google adds to 401s from its OAuth-protected APIs. */
export const UNAUTHENTICATED_HEADERS = {
  'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
};

/**
 * 429 RESOURCE_EXHAUSTED as Code Assist sends it when a model's quota is spent; the Gemini API
 * variant carries a QuotaFailure too. The delay appears in RetryInfo and in the message text.
 */
export function rateLimited(retryDelaySeconds?: number, reason = 'RATE_LIMIT_EXCEEDED'): HttpFault {
  const body: ErrorBodyFactory = (call) => {
    const gemini = call.api === 'gemini';
    const domain = gemini ? 'generativelanguage.googleapis.com' : 'cloudcode-pa.googleapis.com';
    const details: unknown[] = [errorInfo(reason, domain, { model: call.model ?? '' })];
    if (gemini) {
      details.push({
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
            quotaDimensions: { location: 'global', model: call.model ?? '' },
            // Large: a scripted 429 says nothing of the call counts, so the limit it teaches the
            // pool must not be one that tests reach (quotas.ts enforces real ones).
            quotaValue: '1000',
          },
        ],
      });
    }
    if (retryDelaySeconds !== undefined) {
      details.push({
        '@type': 'type.googleapis.com/google.rpc.RetryInfo',
        retryDelay: `${retryDelaySeconds}s`,
      });
    }
    const message =
      retryDelaySeconds === undefined
        ? 'You have exhausted your capacity on this model.'
        : `You have exhausted your capacity on this model. Your quota will reset after ${retryDelaySeconds}s.`;
    return googleError(429, message, details);
  };
  return { status: 429, body };
}

/** 403 PERMISSION_DENIED with a reason (SUBSCRIPTION_REQUIRED, SERVICE_DISABLED…) and fix links. */
export function permissionDenied(
  reason: string,
  message = 'The caller does not have permission',
  links?: { description: string; url: string }[],
): HttpFault {
  const details: unknown[] = [errorInfo(reason, 'cloudaicompanion.googleapis.com')];
  if (links?.length) details.push(helpLinks(links));
  return { status: 403, body: googleError(403, message, details) };
}

export function unauthenticated(): HttpFault {
  return { status: 401, body: googleError(401), headers: { ...UNAUTHENTICATED_HEADERS } };
}

export function serverError(status = 500): HttpFault {
  return { status, body: googleError(status) };
}

export function badRequest(message: string): HttpFault {
  return { status: 400, body: googleError(400, message) };
}

/** Google's answer for an unknown API key, on both the header and the `?key=` form. */
export function apiKeyInvalid(): GoogleErrorBody {
  return googleError(400, 'API key not valid. Please pass a valid API key.', [
    errorInfo('API_KEY_INVALID', 'googleapis.com', {
      service: 'generativelanguage.googleapis.com',
    }),
    {
      '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
      locale: 'en-US',
      message: 'API key not valid. Please pass a valid API key.',
    },
  ]);
}

/** Code Assist's answer when the envelope names a project the caller cannot use. */
export function projectDenied(project: string): GoogleErrorBody {
  return googleError(403, `Permission denied on resource project ${project}.`, [
    errorInfo('CONSUMER_INVALID', 'googleapis.com', {
      service: 'cloudaicompanion.googleapis.com',
      consumer: `projects/${project}`,
    }),
  ]);
}
