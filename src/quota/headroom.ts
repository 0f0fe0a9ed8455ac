import { LimitName, QuotaLimits } from '../config/quota-limits';
import { Window } from './quota-windows';

/** What one window has counted. */
export interface WindowCount {
  /** The window's start: counts of an earlier window are zero in this one. */
  start: number;
  requests: number;
  tokens: number;
}

export interface QuotaCounts {
  minute: WindowCount;
  day: WindowCount;
}

export type Room =
  | { ok: true }
  /** `limit` would overflow; its window reopens at `reopensAt`. */
  | { ok: false; limit: LimitName; value: number; reopensAt: number };

export function emptyCount(window: Window): WindowCount {
  return { start: window.start, requests: 0, tokens: 0 };
}

/** The count as it stands in `window`: zero when it belongs to an earlier one. */
export function current(count: WindowCount | undefined, window: Window): WindowCount {
  return count && count.start === window.start ? count : emptyCount(window);
}

/**
 * Whether one more request of `tokens` input tokens fits every known limit. A request larger than
 * a whole minute's tokens still goes when the minute is empty: only Google can say no to it.
 * The Redis store's Lua script makes the same decision (RESERVE_SCRIPT); keep them alike.
 */
export function roomFor(
  counts: QuotaCounts,
  limits: QuotaLimits,
  tokens: number,
  minute: Window,
  day: Window,
): Room {
  if (limits.rpd !== undefined && counts.day.requests + 1 > limits.rpd) {
    return { ok: false, limit: 'rpd', value: limits.rpd, reopensAt: day.end };
  }
  if (limits.rpm !== undefined && counts.minute.requests + 1 > limits.rpm) {
    return { ok: false, limit: 'rpm', value: limits.rpm, reopensAt: minute.end };
  }
  if (
    limits.tpm !== undefined &&
    counts.minute.tokens > 0 &&
    counts.minute.tokens + tokens > limits.tpm
  ) {
    return { ok: false, limit: 'tpm', value: limits.tpm, reopensAt: minute.end };
  }
  return { ok: true };
}

const LIMIT_WORDS: Record<LimitName, string> = {
  rpm: 'requests per minute',
  tpm: 'input tokens per minute',
  rpd: 'requests per day',
};

export function describeLimit(limit: LimitName, value: number): string {
  return `${value} ${LIMIT_WORDS[limit]}`;
}
