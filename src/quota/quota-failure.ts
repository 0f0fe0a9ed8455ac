import { readGoogleError } from '../errors/google-error';
import { isRecord } from '../json/is-record';
import { durationMs } from '../upstream/retry-delay';
import { LimitName } from '../config/quota-limits';

/** One `QuotaFailure` violation read as the window it closes and, when Google says, its size. */
export interface QuotaViolation {
  limit: LimitName;
  /** `quotaValue`: the window's size. */
  value?: number;
  quotaId: string;
}

/** What a 429 teaches about the credential's quota. */
export interface QuotaLesson {
  violations: QuotaViolation[];
  /**
   * The day's quota is spent: a `PerDay` violation, or a RetryInfo delay over 300 s (Google's own
   * CLI reads both as the end of the day, googleQuotaErrors.ts), whatever the delay says.
   */
  perDay: boolean;
  /** `projects/N` from ErrorInfo metadata (`consumer`), when Google names the project. */
  project?: string;
}

/** Past this, Google's CLI stops retrying and treats the quota as spent for the day. */
export const TERMINAL_DELAY_MS = 300_000;

/**
 * Reads Google's 429 body. Several violations may come in one error (per-minute requests and
 * per-minute input tokens together); `quotaId` names the window
 * (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`,
 * `GenerateContentInputTokensPerModelPerMinute-FreeTier`) and `quotaValue` its size ("250").
 */
export function readQuotaLesson(body: unknown): QuotaLesson | undefined {
  // The violations' sizes and metrics are read here: the shared reader keeps only their ids.
  const error = readGoogleError(body)?.raw;
  if (!error) return undefined;
  const violations: QuotaViolation[] = [];
  let retryMs: number | undefined;
  let project: string | undefined;
  let quotaLimitText = '';
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    if (!isRecord(detail)) continue;
    if (Array.isArray(detail.violations)) {
      for (const v of detail.violations) {
        const violation = isRecord(v) ? readViolation(v) : undefined;
        if (violation) violations.push(violation);
      }
    } else if (typeof detail.retryDelay === 'string') {
      retryMs = durationMs(detail.retryDelay);
    } else if (isRecord(detail.metadata)) {
      const { consumer, quota_limit: quotaLimit } = detail.metadata;
      if (typeof consumer === 'string' && /^projects\/[\w-]+$/.test(consumer)) project = consumer;
      if (typeof quotaLimit === 'string') quotaLimitText = quotaLimit;
    }
  }
  const perDay =
    violations.some((v) => v.limit === 'rpd') ||
    /PerDay|Daily/.test(quotaLimitText) ||
    (retryMs !== undefined && retryMs > TERMINAL_DELAY_MS);
  if (violations.length === 0 && !perDay && !project) return undefined;
  return { violations, perDay, project };
}

function readViolation(v: Record<string, unknown>): QuotaViolation | undefined {
  const quotaId = typeof v.quotaId === 'string' ? v.quotaId : '';
  const metric = typeof v.quotaMetric === 'string' ? v.quotaMetric : '';
  const limit = limitOf(`${quotaId} ${metric}`);
  if (!limit) return undefined;
  const raw = typeof v.quotaValue === 'string' ? Number(v.quotaValue) : v.quotaValue;
  const value =
    typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 1e12 ? raw : undefined;
  return { limit, value, quotaId };
}

function limitOf(text: string): LimitName | undefined {
  const perDay = /PerDay|Daily/i.test(text);
  const perMinute = /PerMinute/i.test(text);
  const tokens = /Token/i.test(text);
  if (perDay) return tokens ? undefined : 'rpd';
  if (perMinute) return tokens ? 'tpm' : 'rpm';
  return undefined;
}
