import { isRecord } from '../json/is-record';

/** The parts of Google's `google.rpc.Status` error body the proxy reads. */
export interface GoogleError {
  /** The `error` object as Google sent it, returned verbatim on the native routes. */
  raw: Record<string, unknown>;
  code?: number;
  status?: string;
  message?: string;
  errorInfo?: { reason?: string; domain?: string; metadata: Record<string, string> };
  retryDelay?: unknown;
  quotaIds: string[];
  helpLinks: { url: string; description?: string }[];
}

/**
 * The one reader of Google's error bodies, also when wrapped in an array (gemini-cli #6454).
 * Details are matched by the end of `@type`, with stray whitespace in the key tolerated (gemini-cli
 * strips it after SSE parsing), and by shape when `@type` is missing, as in the 403
 * SUBSCRIPTION_REQUIRED bodies Code Assist sent in 2026 (`details:[{reason, domain}]`).
 */
export function readGoogleError(body: unknown): GoogleError | undefined {
  const candidate: unknown = Array.isArray(body) ? body[0] : body;
  if (!isRecord(candidate) || !isRecord(candidate.error)) return undefined;
  const error = candidate.error;
  const google: GoogleError = {
    raw: error,
    code: typeof error.code === 'number' ? error.code : undefined,
    status: typeof error.status === 'string' ? error.status : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
    quotaIds: [],
    helpLinks: [],
  };
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    if (!isRecord(detail)) continue;
    const type = detailType(detail);
    if (type === 'ErrorInfo' && !google.errorInfo) {
      google.errorInfo = {
        reason: stringOr(detail.reason),
        domain: stringOr(detail.domain),
        metadata: stringRecord(detail.metadata),
      };
    } else if (type === 'RetryInfo' && google.retryDelay === undefined) {
      google.retryDelay = detail.retryDelay;
    } else if (type === 'QuotaFailure' && Array.isArray(detail.violations)) {
      for (const v of detail.violations) {
        const id = isRecord(v) ? stringOr(v.quotaId) : undefined;
        if (id) google.quotaIds.push(id);
      }
    } else if (type === 'Help' && Array.isArray(detail.links)) {
      for (const link of detail.links) {
        const url = isRecord(link) ? stringOr(link.url) : undefined;
        if (!url) continue;
        const description = stringOr((link as Record<string, unknown>).description);
        google.helpLinks.push(description ? { url, description } : { url });
      }
    }
  }
  return google;
}

function detailType(detail: Record<string, unknown>): string | undefined {
  const key = Object.keys(detail).find((k) => k.trim() === '@type');
  const type = key ? detail[key] : undefined;
  if (typeof type === 'string') return type.trim().split('.').pop();
  if (typeof detail.reason === 'string') return 'ErrorInfo';
  if (detail.retryDelay !== undefined) return 'RetryInfo';
  if (Array.isArray(detail.violations)) return 'QuotaFailure';
  if (Array.isArray(detail.links)) return 'Help';
  return undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}
