import type { RedisConnection } from '../redis/redis-connection';
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
  /**
   * Checks every limit and, when all have room, counts the request. In memory the answer is
   * immediate (no promise): most requests pass, and each promise costs the hot path.
   */
  admit(key: ClientKey, now: number): Refusal | undefined | Promise<Refusal | undefined>;
  addTokens(keyId: string, tokens: number, now: number): Promise<void>;
  usage(keyId: string, now: number): Promise<KeyUsage>;
}

/**
 * A count over the last 60 whole seconds, in one slot per second: adding, reading the total and
 * sliding are O(1) whatever the traffic (a list of every request would cost each request a pass
 * over the minute's requests).
 */
class SecondWindow {
  private readonly counts = new Float64Array(60);
  private last = 0;
  private sum = 0;

  add(second: number, n: number): void {
    this.advance(second);
    this.counts[second % 60] += n;
    this.sum += n;
  }

  total(second: number): number {
    this.advance(second);
    return this.sum;
  }

  /** Milliseconds until the oldest second still counted leaves the window. */
  untilOldestLeaves(now: number): number {
    const second = Math.floor(now / 1000);
    for (let s = second - 59; s <= second; s++)
      if (this.counts[s % 60] > 0) return (s + 60) * 1000 - now;
    return 1000;
  }

  private advance(second: number): void {
    if (second <= this.last) return;
    if (second - this.last >= 60) {
      this.counts.fill(0);
      this.sum = 0;
    } else {
      for (let s = this.last + 1; s <= second; s++) {
        this.sum -= this.counts[s % 60];
        this.counts[s % 60] = 0;
      }
    }
    this.last = second;
  }
}

interface Local {
  requests: SecondWindow;
  tokens: SecondWindow;
  /** Epoch milliseconds when the UTC day and month being counted end. */
  dayEnds: number;
  dayTokens: number;
  monthEnds: number;
  monthTokens: number;
}

/** One process's counts (no REDIS_URL, or Redis unreachable). */
export class MemoryKeyCounters implements KeyCounters {
  private readonly keys = new Map<string, Local>();

  admit(key: ClientKey, now: number): Refusal | undefined {
    const c = this.current(key.id, now);
    const second = Math.floor(now / 1000);
    let refusal: Refusal | undefined;
    if (key.rpm !== null && c.requests.total(second) >= key.rpm)
      refusal = { limit: 'rpm', retryAfterMs: c.requests.untilOldestLeaves(now) };
    else if (key.tpm !== null && c.tokens.total(second) >= key.tpm)
      refusal = { limit: 'tpm', retryAfterMs: c.tokens.untilOldestLeaves(now) };
    else if (key.daily_tokens !== null && c.dayTokens >= key.daily_tokens)
      refusal = { limit: 'daily_tokens', retryAfterMs: untilNextDay(now) };
    else if (key.monthly_tokens !== null && c.monthTokens >= key.monthly_tokens)
      refusal = { limit: 'monthly_tokens', retryAfterMs: untilNextMonth(now) };
    if (!refusal) c.requests.add(second, 1);
    return refusal;
  }

  addTokens(keyId: string, tokens: number, now: number): Promise<void> {
    const c = this.current(keyId, now);
    c.tokens.add(Math.floor(now / 1000), tokens);
    c.dayTokens += tokens;
    c.monthTokens += tokens;
    return Promise.resolve();
  }

  usage(keyId: string, now: number): Promise<KeyUsage> {
    const c = this.current(keyId, now);
    const second = Math.floor(now / 1000);
    return Promise.resolve({
      rpm: c.requests.total(second),
      tpm: c.tokens.total(second),
      daily_tokens: c.dayTokens,
      monthly_tokens: c.monthTokens,
    });
  }

  private current(keyId: string, now: number): Local {
    let c = this.keys.get(keyId);
    if (!c) {
      c = {
        requests: new SecondWindow(),
        tokens: new SecondWindow(),
        dayEnds: 0,
        dayTokens: 0,
        monthEnds: 0,
        monthTokens: 0,
      };
      this.keys.set(keyId, c);
    }
    // Compared with the period's end, not its name: no date formatting per request.
    if (now >= c.dayEnds) [c.dayEnds, c.dayTokens] = [now + untilNextDay(now), 0];
    if (now >= c.monthEnds) [c.monthEnds, c.monthTokens] = [now + untilNextMonth(now), 0];
    return c;
  }
}

/**
 * The minute windows are hashes of per-second counts (field: epoch second), so one script reads at
 * most 60 fields whatever the traffic, dropping those older than the minute. It refuses on the
 * first limit without room (answering its name and the milliseconds until it has room), else
 * counts the request. KEYS: requests hash, tokens hash, day counter, month counter.
 * ARGV: now, rpm, tpm, daily, monthly (-1 = none), until next day, until next month.
 */
const WINDOW_LUA = `
local now = tonumber(ARGV[1])
local second = math.floor(now / 1000)
local function window(key)
  local all = redis.call('HGETALL', key)
  local total, oldest = 0, nil
  for i = 1, #all, 2 do
    local s = tonumber(all[i])
    if s <= second - 60 then
      redis.call('HDEL', key, all[i])
    else
      total = total + tonumber(all[i + 1])
      if oldest == nil or s < oldest then oldest = s end
    end
  end
  return total, oldest
end
`;

const ADMIT = `${WINDOW_LUA}
local rpm = tonumber(ARGV[2])
if rpm >= 0 then
  local n, oldest = window(KEYS[1])
  if n >= rpm then return {'rpm', ((oldest or second) + 60) * 1000 - now} end
end
local tpm = tonumber(ARGV[3])
if tpm >= 0 then
  local n, oldest = window(KEYS[2])
  if n >= tpm then return {'tpm', ((oldest or second) + 60) * 1000 - now} end
end
local daily = tonumber(ARGV[4])
if daily >= 0 and tonumber(redis.call('GET', KEYS[3]) or 0) >= daily then
  return {'daily_tokens', tonumber(ARGV[6])}
end
local monthly = tonumber(ARGV[5])
if monthly >= 0 and tonumber(redis.call('GET', KEYS[4]) or 0) >= monthly then
  return {'monthly_tokens', tonumber(ARGV[7])}
end
redis.call('HINCRBY', KEYS[1], second, 1)
redis.call('PEXPIRE', KEYS[1], ${WINDOW_MS + 1_000})
return {}
`;

/** KEYS as ADMIT; ARGV: now. Answers requests, tokens in the minute, day and month tokens. */
const USAGE = `${WINDOW_LUA}
local rpm = window(KEYS[1])
local tpm = window(KEYS[2])
return {rpm, tpm, tonumber(redis.call('GET', KEYS[3]) or 0), tonumber(redis.call('GET', KEYS[4]) or 0)}
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
    const [, minute, day, month] = this.keys(keyId, now);
    try {
      await this.redis.client
        .multi()
        .hincrby(minute, String(Math.floor(now / 1000)), tokens)
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
