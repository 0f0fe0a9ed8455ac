import { RedisConnection } from '../redis/redis-connection';
import { QuotaCounts, Room } from '../quota/headroom';
import { LIMIT_NAMES, LimitName, QuotaLimits } from '../config/quota-limits';
import { Window } from '../quota/quota-windows';
import {
  InMemoryQuotaStore,
  QuotaEntry,
  QuotaKey,
  QuotaStore,
  QuotaWindows,
} from '../quota/quota-store';

/**
 * Checks every window and counts the request in one step, so that replicas never both take a
 * window's last request (the same decision as `roomFor` in headroom.ts).
 * KEYS: learned limits, minute counts, day counts, index. ARGV: declared rpm, tpm, rpd ('' when
 * not declared), tokens, minute and day TTLs (ms, by the proxy's clock, so that a skew between
 * it and Redis's never expires a count early), index member, now, index bound.
 */
const RESERVE_SCRIPT = `
local function limit(i, field)
  if ARGV[i] ~= '' then return tonumber(ARGV[i]) end
  local learned = redis.call('HGET', KEYS[1], field)
  if learned then return tonumber(learned) end
  return nil
end
local rpm, tpm, rpd = limit(1, 'rpm'), limit(2, 'tpm'), limit(3, 'rpd')
local tokens = tonumber(ARGV[4])
local minuteRequests = tonumber(redis.call('HGET', KEYS[2], 'requests') or '0')
local minuteTokens = tonumber(redis.call('HGET', KEYS[2], 'tokens') or '0')
local dayRequests = tonumber(redis.call('HGET', KEYS[3], 'requests') or '0')
if rpd and dayRequests + 1 > rpd then return {'rpd', rpd} end
if rpm and minuteRequests + 1 > rpm then return {'rpm', rpm} end
if tpm and minuteTokens > 0 and minuteTokens + tokens > tpm then return {'tpm', tpm} end
redis.call('HINCRBY', KEYS[2], 'requests', 1)
redis.call('HINCRBY', KEYS[2], 'tokens', tokens)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('HINCRBY', KEYS[3], 'requests', 1)
redis.call('HINCRBY', KEYS[3], 'tokens', tokens)
redis.call('PEXPIRE', KEYS[3], ARGV[6])
redis.call('ZADD', KEYS[4], ARGV[8], ARGV[7])
if redis.call('ZCARD', KEYS[4]) > tonumber(ARGV[9]) then
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, 0)
end
return {'ok', 0}
`;

/** Counts outlive their window a little, so a status read at the boundary still finds them. */
const GRACE_MS = 60_000;
/** Learned limits are renewed by every 429 that teaches them; a week without one forgets them. */
const LEARNED_TTL_MS = 7 * 24 * 3_600_000;

/**
 * The counts in Redis: `quota:{subject}:{model}:m:{start}` and `…:d:{start}` hashes of
 * `requests` and `tokens`, each expiring after its window; learned limits in `…:lim`; a sorted
 * set of the (subject, model) pairs in use for the status views, bounded. While Redis is away
 * the replica counts alone in memory and says so on the status page (SharedStateStatus).
 */
export class RedisQuotaStore implements QuotaStore {
  private readonly local = new InMemoryQuotaStore();

  constructor(
    private readonly redis: RedisConnection,
    private readonly maxEntries: number,
  ) {}

  async reserve(
    key: QuotaKey,
    windows: QuotaWindows,
    declared: QuotaLimits,
    tokens: number,
    now: number,
  ): Promise<Room> {
    if (!this.redis.isUp) return this.local.reserve(key, windows, declared, tokens);
    try {
      const answer = (await this.redis.eval(
        RESERVE_SCRIPT,
        [
          this.key(key, 'lim'),
          this.countKey(key, windows.minute),
          this.countKey(key, windows.day),
          this.redis.key('quota:index'),
        ],
        [
          declared.rpm ?? '',
          declared.tpm ?? '',
          declared.rpd ?? '',
          Math.max(0, Math.round(tokens)),
          ttl(windows.minute, now),
          ttl(windows.day, now),
          indexMember(key),
          now,
          this.maxEntries,
        ],
      )) as [string, number];
      const [verdict, value] = answer;
      if (verdict === 'ok') return { ok: true };
      const limit = verdict as LimitName;
      const window = limit === 'rpd' ? windows.day : windows.minute;
      return { ok: false, limit, value: Number(value), reopensAt: window.end };
    } catch {
      return this.local.reserve(key, windows, declared, tokens);
    }
  }

  async release(key: QuotaKey, windows: QuotaWindows, tokens: number): Promise<void> {
    if (!this.redis.isUp) return this.local.release(key, windows, tokens);
    await this.add(key, windows, -1, -tokens);
  }

  async addTokens(key: QuotaKey, windows: QuotaWindows, tokens: number): Promise<void> {
    if (tokens === 0) return;
    if (!this.redis.isUp) return this.local.addTokens(key, windows, tokens);
    await this.add(key, windows, 0, tokens);
  }

  /** Counts that go below zero by a race are read as zero (toCount, the script's `or '0'`). */
  private async add(key: QuotaKey, windows: QuotaWindows, requests: number, tokens: number) {
    const pipeline = this.redis.client.pipeline();
    for (const window of [windows.minute, windows.day]) {
      if (requests !== 0) pipeline.hincrby(this.countKey(key, window), 'requests', requests);
      if (tokens !== 0) pipeline.hincrby(this.countKey(key, window), 'tokens', Math.round(tokens));
      pipeline.pexpire(this.countKey(key, window), ttl(window, window.start));
    }
    await pipeline.exec().catch(() => undefined);
  }

  async learn(key: QuotaKey, limits: QuotaLimits): Promise<void> {
    await this.local.learn(key, limits);
    const fields = Object.entries(limits).filter(([, v]) => v !== undefined);
    if (!this.redis.isUp || fields.length === 0) return;
    const pipeline = this.redis.client.pipeline();
    pipeline.hset(this.key(key, 'lim'), Object.fromEntries(fields));
    pipeline.pexpire(this.key(key, 'lim'), LEARNED_TTL_MS);
    pipeline.zadd(this.redis.key('quota:index'), Date.now(), indexMember(key));
    await pipeline.exec().catch(() => undefined);
  }

  async learned(key: QuotaKey): Promise<QuotaLimits> {
    if (!this.redis.isUp) return this.local.learned(key);
    try {
      return toLimits(await this.redis.client.hgetall(this.key(key, 'lim')));
    } catch {
      return this.local.learned(key);
    }
  }

  async list(windows: QuotaWindows, limit: number): Promise<QuotaEntry[]> {
    if (!this.redis.isUp) return this.local.list(windows, limit);
    try {
      const members = await this.redis.client.zrevrange(
        this.redis.key('quota:index'),
        0,
        limit - 1,
      );
      const pipeline = this.redis.client.pipeline();
      const keys = members.map(fromIndexMember).filter((k): k is QuotaKey => k !== undefined);
      for (const key of keys) {
        pipeline.hgetall(this.key(key, 'lim'));
        pipeline.hgetall(this.countKey(key, windows.minute));
        pipeline.hgetall(this.countKey(key, windows.day));
      }
      const results = (await pipeline.exec()) ?? [];
      const hash = (i: number) => (results[i]?.[1] ?? {}) as Record<string, string>;
      return keys.map((key, i) => ({
        ...key,
        learned: toLimits(hash(i * 3)),
        counts: {
          minute: toCount(hash(i * 3 + 1), windows.minute),
          day: toCount(hash(i * 3 + 2), windows.day),
        } satisfies QuotaCounts,
      }));
    } catch {
      return this.local.list(windows, limit);
    }
  }

  private key(key: QuotaKey, suffix: string): string {
    return this.redis.key(`quota:{${key.subject}}:${key.model}:${suffix}`);
  }

  private countKey(key: QuotaKey, window: Window): string {
    return this.key(key, `${window.name === 'minute' ? 'm' : 'd'}:${window.start}`);
  }
}

/** How long a window's counts live, from `now` on: to the window's end and a little past it. */
function ttl(window: Window, now: number): number {
  return Math.max(1, window.end + GRACE_MS - now);
}

function indexMember(key: QuotaKey): string {
  return `${key.subject}\t${key.model}`;
}

function fromIndexMember(member: string): QuotaKey | undefined {
  const tab = member.indexOf('\t');
  return tab < 0 ? undefined : { subject: member.slice(0, tab), model: member.slice(tab + 1) };
}

function toLimits(hash: Record<string, string>): QuotaLimits {
  const limits: QuotaLimits = {};
  for (const name of LIMIT_NAMES) {
    const value = Number(hash[name]);
    if (hash[name] !== undefined && Number.isFinite(value)) limits[name] = value;
  }
  return limits;
}

function toCount(hash: Record<string, string>, window: Window) {
  return {
    start: window.start,
    requests: Math.max(0, Number(hash.requests ?? 0) || 0),
    tokens: Math.max(0, Number(hash.tokens ?? 0) || 0),
  };
}
