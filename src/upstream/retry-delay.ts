import { readGoogleError } from '../errors/google-error';
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
  const rpc = readGoogleError(body);
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

function rawText(body: unknown): string | undefined {
  return typeof body === 'string' ? body : undefined;
}
