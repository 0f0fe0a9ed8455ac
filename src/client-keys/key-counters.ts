import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../state/redis-connection';
import type { ClientKey } from './client-key';

export const WINDOW_MS = 60_000;

export type LimitName = 'rpm' | 'tpm' | 'daily_tokens' | 'monthly_tokens';

/** Why a request is refused, and when it may come back. */
export interface Refusal {
  limit: LimitName;
  retryAfterMs: number;
}

/** A key's use in each of its windows. */
export interface KeyUsage {
  /** Requests in the last 60 s. */
  rpm: number;
  /** Tokens in the last 60 s. */
  tpm: number;
  /** Tokens today and this month (UTC). */
  daily_tokens: number;
  monthly_tokens: number;
}

/** Budgets follow the UTC calendar: a day is YYYY-MM-DD, a month YYYY-MM. */
export function dayOf(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

export function monthOf(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

export function untilNextDay(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}

export function untilNextMonth(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now;
}

/** A key's counts: requests and tokens per sliding minute, tokens per UTC day and month. */
export interface KeyCounters {
  /** Checks every limit and, when all have room, counts the request. */
  admit(key: ClientKey, now: number): Promise<Refusal | undefined>;
  addTokens(keyId: string, tokens: number, now: number): Promise<void>;
  usage(keyId: string, now: number): Promise<KeyUsage>;
}

interface Local {
  requests: number[];
  tokens: { at: number; n: number }[];
  day: string;
  dayTokens: number;
  month: string;
  monthTokens: number;
}

/** One process's counts (no REDIS_URL, or Redis unreachable). */
export class MemoryKeyCounters implements KeyCounters {
  private readonly keys = new Map<string, Local>();

  admit(key: ClientKey, now: number): Promise<Refusal | undefined> {
    const c = this.current(key.id, now);
    let refusal: Refusal | undefined;
    if (key.rpm !== null && c.requests.length >= key.rpm)
      refusal = { limit: 'rpm', retryAfterMs: c.requests[0] + WINDOW_MS - now };
    else if (key.tpm !== null && sum(c.tokens) >= key.tpm)
      refusal = { limit: 'tpm', retryAfterMs: c.tokens[0].at + WINDOW_MS - now };
    else if (key.daily_tokens !== null && c.dayTokens >= key.daily_tokens)
      refusal = { limit: 'daily_tokens', retryAfterMs: untilNextDay(now) };
    else if (key.monthly_tokens !== null && c.monthTokens >= key.monthly_tokens)
      refusal = { limit: 'monthly_tokens', retryAfterMs: untilNextMonth(now) };
    if (!refusal) c.requests.push(now);
    return Promise.resolve(refusal);
  }

  addTokens(keyId: string, tokens: number, now: number): Promise<void> {
    const c = this.current(keyId, now);
    c.tokens.push({ at: now, n: tokens });
    c.dayTokens += tokens;
    c.monthTokens += tokens;
    return Promise.resolve();
  }

  usage(keyId: string, now: number): Promise<KeyUsage> {
    const c = this.current(keyId, now);
    return Promise.resolve({
      rpm: c.requests.length,
      tpm: sum(c.tokens),
      daily_tokens: c.dayTokens,
      monthly_tokens: c.monthTokens,
    });
  }

  private current(keyId: string, now: number): Local {
    let c = this.keys.get(keyId);
    const day = dayOf(now);
    const month = monthOf(now);
    if (!c) {
      c = { requests: [], tokens: [], day, dayTokens: 0, month, monthTokens: 0 };
      this.keys.set(keyId, c);
    }
    const from = now - WINDOW_MS;
    while (c.requests.length > 0 && c.requests[0] <= from) c.requests.shift();
    while (c.tokens.length > 0 && c.tokens[0].at <= from) c.tokens.shift();
    if (c.day !== day) [c.day, c.dayTokens] = [day, 0];
    if (c.month !== month) [c.month, c.monthTokens] = [month, 0];
    return c;
  }
}

function sum(tokens: { n: number }[]): number {
  let total = 0;
  for (const t of tokens) total += t.n;
  return total;
}

/**
 * Trims both minute windows, then refuses on the first limit without room (answering its name and
 * the milliseconds until it has room), else counts the request. Token entries are members
 * `<uuid>:<tokens>` scored by time, so one script both sums and expires them.
 * KEYS: requests zset, tokens zset, day counter, month counter.
 * ARGV: now, rpm, tpm, daily, monthly (-1 = none), request member, until next day, until next month.
 */
const ADMIT = `
local now = tonumber(ARGV[1])
local from = now - ${WINDOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', from)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', from)
local rpm = tonumber(ARGV[2])
if rpm >= 0 and redis.call('ZCARD', KEYS[1]) >= rpm then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {'rpm', tonumber(oldest[2] or now) + ${WINDOW_MS} - now}
end
local tpm = tonumber(ARGV[3])
if tpm >= 0 then
  local entries = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
  local total = 0
  for i = 1, #entries, 2 do
    total = total + tonumber(string.match(entries[i], ':(%d+)$') or 0)
  end
  if total >= tpm then
    return {'tpm', tonumber(entries[2]) + ${WINDOW_MS} - now}
  end
end
local daily = tonumber(ARGV[4])
if daily >= 0 and tonumber(redis.call('GET', KEYS[3]) or 0) >= daily then
  return {'daily_tokens', tonumber(ARGV[7])}
end
local monthly = tonumber(ARGV[5])
if monthly >= 0 and tonumber(redis.call('GET', KEYS[4]) or 0) >= monthly then
  return {'monthly_tokens', tonumber(ARGV[8])}
end
redis.call('ZADD', KEYS[1], now, ARGV[6])
redis.call('PEXPIRE', KEYS[1], ${WINDOW_MS + 1_000})
return {}
`;

/** KEYS as ADMIT; ARGV: now. Answers requests, tokens in the minute, day and month tokens. */
const USAGE = `
local from = tonumber(ARGV[1]) - ${WINDOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', from)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', from)
local entries = redis.call('ZRANGE', KEYS[2], 0, -1)
local total = 0
for i = 1, #entries do
  total = total + tonumber(string.match(entries[i], ':(%d+)$') or 0)
end
return {redis.call('ZCARD', KEYS[1]), total, tonumber(redis.call('GET', KEYS[3]) or 0), tonumber(redis.call('GET', KEYS[4]) or 0)}
`;

const DAY_TTL_S = 2 * 86_400;
const MONTH_TTL_S = 32 * 86_400;

/**
 * Counts shared by every replica, each check-and-count one Lua script, so that two replicas
 * cannot both admit the last request of a minute. While Redis is unreachable the process counts
 * on its own (a limit then holds per replica) rather than refuse or stall requests.
 */
export class RedisKeyCounters implements KeyCounters {
  private readonly local = new MemoryKeyCounters();

  constructor(private readonly redis: RedisConnection) {}

  async admit(key: ClientKey, now: number): Promise<Refusal | undefined> {
    if (!this.redis.isUp) return this.local.admit(key, now);
    try {
      const answer = (await this.redis.eval(ADMIT, this.keys(key.id, now), [
        now,
        key.rpm ?? -1,
        key.tpm ?? -1,
        key.daily_tokens ?? -1,
        key.monthly_tokens ?? -1,
        randomUUID(),
        untilNextDay(now),
        untilNextMonth(now),
      ])) as [LimitName, number] | [];
      if (answer.length === 0) return undefined;
      return { limit: answer[0], retryAfterMs: Number(answer[1]) };
    } catch {
      return this.local.admit(key, now);
    }
  }

  async addTokens(keyId: string, tokens: number, now: number): Promise<void> {
    if (!this.redis.isUp) return this.local.addTokens(keyId, tokens, now);
    const [requests, minute, day, month] = this.keys(keyId, now);
    void requests;
    try {
      await this.redis.client
        .multi()
        .zadd(minute, now, `${randomUUID()}:${tokens}`)
        .pexpire(minute, WINDOW_MS + 1_000)
        .incrby(day, tokens)
        .expire(day, DAY_TTL_S)
        .incrby(month, tokens)
        .expire(month, MONTH_TTL_S)
        .exec();
    } catch {
      await this.local.addTokens(keyId, tokens, now);
    }
  }

  async usage(keyId: string, now: number): Promise<KeyUsage> {
    if (!this.redis.isUp) return this.local.usage(keyId, now);
    try {
      const [rpm, tpm, daily, monthly] = (await this.redis.eval(USAGE, this.keys(keyId, now), [
        now,
      ])) as number[];
      return { rpm, tpm, daily_tokens: daily, monthly_tokens: monthly };
    } catch {
      return this.local.usage(keyId, now);
    }
  }

  private keys(keyId: string, now: number): string[] {
    const base = `ck:${keyId}`;
    return [
      this.redis.key(`${base}:rq`),
      this.redis.key(`${base}:tk`),
      this.redis.key(`${base}:d:${dayOf(now)}`),
      this.redis.key(`${base}:m:${monthOf(now)}`),
    ];
  }
}
