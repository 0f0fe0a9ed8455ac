import { unwrapGoogleError } from './upstream-errors';
import { isRecord } from '../json/is-record';

/**
 * How long Google asked us to wait. Google says it in up to five places, and which one is present
 * depends on the backend: the Gemini API sends `RetryInfo`; Code Assist adds `quotaResetDelay` and
 * `quotaResetTimeStamp` to the ErrorInfo metadata and repeats the delay in the message ("Your quota
 * will reset after 2h36m24s."); a few front ends only send `Retry-After`.
 */

export type RetryHintSource =
  | 'RetryInfo'
  | 'quotaResetDelay'
  | 'quotaResetTimeStamp'
  | 'message-reset'
  | 'message-retry'
  | 'Retry-After';

export interface RetryHint {
  ms: number;
  source: RetryHintSource;
}

/**
 * The same answer with where it came from: a daily quota carries a RetryInfo of a few seconds
 * that does not move the daily reset, so the classifier only trusts the reset-type sources there.
 */
export function retryHint(
  status: number,
  body: unknown,
  headers: { retryAfter?: string },
  now: number,
): RetryHint | undefined {
  const rpc = readRpcError(body);
  const candidates: [RetryHintSource, () => number | undefined][] = [
    ['RetryInfo', () => protoDurationMs(rpc?.retryDelay)],
    ['quotaResetDelay', () => durationMs(rpc?.errorInfo?.metadata.quotaResetDelay)],
    ['quotaResetTimeStamp', () => untilMs(rpc?.errorInfo?.metadata.quotaResetTimeStamp, now)],
    ['message-reset', () => messageDelayMs(rpc?.message ?? rawText(body), /reset after\s+/i)],
    ['message-retry', () => messageDelayMs(rpc?.message ?? rawText(body), /retry in\s+/i)],
    // RFC 9110 gives Retry-After a meaning on 503 (and RFC 6585 on 429), not on other errors.
    [
      'Retry-After',
      () => (status === 429 || status >= 500 ? retryAfterMs(headers.retryAfter, now) : undefined),
    ],
  ];
  for (const [source, read] of candidates) {
    const ms = read();
    if (ms !== undefined) return { ms, source };
  }
  return undefined;
}

/** The parts of a `google.rpc.Status` body that rotation decisions read. */
export interface RpcError {
  code?: number;
  status?: string;
  message?: string;
  errorInfo?: { reason?: string; domain?: string; metadata: Record<string, string> };
  retryDelay?: unknown;
  quotaIds: string[];
  helpUrls: string[];
}

/**
 * Reads Google's error body, also when it is wrapped in an array (gemini-cli #6454). Details are
 * matched by the end of `@type`, with stray whitespace in the key tolerated (gemini-cli strips it
 * after SSE parsing), and by shape when `@type` is missing, as in the 403 SUBSCRIPTION_REQUIRED
 * bodies Code Assist sent in 2026 (`details:[{reason, domain}]`).
 */
export function readRpcError(body: unknown): RpcError | undefined {
  const error = unwrapGoogleError(body);
  if (!error) return undefined;
  const rpc: RpcError = {
    code: typeof error.code === 'number' ? error.code : undefined,
    status: typeof error.status === 'string' ? error.status : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
    quotaIds: [],
    helpUrls: [],
  };
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    if (!isRecord(detail)) continue;
    const type = detailType(detail);
    if (type === 'ErrorInfo' && !rpc.errorInfo) {
      rpc.errorInfo = {
        reason: stringOr(detail.reason),
        domain: stringOr(detail.domain),
        metadata: stringRecord(detail.metadata),
      };
    } else if (type === 'RetryInfo' && rpc.retryDelay === undefined) {
      rpc.retryDelay = detail.retryDelay;
    } else if (type === 'QuotaFailure' && Array.isArray(detail.violations)) {
      for (const v of detail.violations) {
        const id = isRecord(v) ? stringOr(v.quotaId) : undefined;
        if (id) rpc.quotaIds.push(id);
      }
    } else if (type === 'Help' && Array.isArray(detail.links)) {
      for (const link of detail.links) {
        const url = isRecord(link) ? stringOr(link.url) : undefined;
        if (url) rpc.helpUrls.push(url);
      }
    }
  }
  return rpc;
}

/**
 * Parses Go-style durations as Google writes them: "34s", "0.479417207s", "479.417207ms",
 * "1h2m3.5s". Returns undefined unless the whole text is a duration.
 */
export function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = durationPrefix(text.trim());
  return parsed && parsed.length === text.trim().length ? parsed.ms : undefined;
}

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000001,
};

function durationPrefix(text: string): { ms: number; length: number } | undefined {
  // Longer units first so that "5ms" is not read as five minutes followed by junk.
  const part = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|h|m|s)/y;
  let total = 0;
  let length = 0;
  for (let match = part.exec(text); match; match = part.exec(text)) {
    total += parseFloat(match[1]) * UNIT_MS[match[2]];
    length = part.lastIndex;
  }
  return length > 0 ? { ms: Math.ceil(total), length } : undefined;
}

/** google.protobuf.Duration in JSON is a string ("34s"); tolerate the object form too. */
function protoDurationMs(value: unknown): number | undefined {
  if (typeof value === 'string') return durationMs(value);
  if (isRecord(value) && (value.seconds !== undefined || value.nanos !== undefined)) {
    const ms = Number(value.seconds ?? 0) * 1000 + Number(value.nanos ?? 0) / 1e6;
    return Number.isFinite(ms) && ms >= 0 ? Math.ceil(ms) : undefined;
  }
  return undefined;
}

function untilMs(timestamp: string | undefined, now: number): number | undefined {
  if (!timestamp) return undefined;
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function messageDelayMs(message: string | undefined, phrase: RegExp): number | undefined {
  if (!message) return undefined;
  const found = phrase.exec(message);
  if (!found) return undefined;
  return durationPrefix(message.slice(found.index + found[0].length))?.ms;
}

function retryAfterMs(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  return untilMs(text, now);
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

function rawText(body: unknown): string | undefined {
  return typeof body === 'string' ? body : undefined;
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
