import { Logger } from '@nestjs/common';
import {
  CooldownEntry,
  CredentialCounters,
  DisabledEntry,
  InMemoryPoolStateStore,
  LastError,
  PoolStateStore,
} from '../credentials/pool-state-store';
import { RedisConnection } from '../redis/redis-connection';
import { SharedCounters } from './shared-counters';

/** Where the shared cursor wraps (2^52, within Lua's exact integers). */
const MAX_CURSOR = 2 ** 52;
/** How often each replica re-reads the shared state (and flushes its counters) besides events. */
export const RESYNC_MS = 5_000;
const COUNTER_FLUSH_MS = 1_000;
/** Disabled marks and counters outlive any pause of the deployment, but not forever. */
export const SHARED_STATE_TTL_MS = 30 * 24 * 3600_000;
/** Cooldown hashes live this long past their last deadline, for the strikes they hand on. */
const COOLDOWN_GRACE_MS = 5 * 60_000;

/**
 * Sets one model's cooldown atomically, merged with what another replica may have written since:
 * a running limit keeps its later deadline and its strikes, and a passing fault never replaces
 * it (the rule CredentialPool applies within one process). Publishes the result for the others.
 */
const SET_COOLDOWN_LUA = `
local incoming = cjson.decode(ARGV[3])
local now = tonumber(ARGV[4])
local result = incoming
local raw = redis.call('HGET', KEYS[1], ARGV[2])
if raw then
  local prev = cjson.decode(raw)
  if prev.kind ~= 'transient' and prev['until'] > now then
    if incoming.kind == 'transient' then
      result = prev
    else
      if prev['until'] > incoming['until'] then result['until'] = prev['until'] end
      if prev.strikes > incoming.strikes then result.strikes = prev.strikes end
    end
  end
end
local encoded = cjson.encode(result)
redis.call('HSET', KEYS[1], ARGV[2], encoded)
local ttl = math.max(result['until'] - now, 0) + tonumber(ARGV[5])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
redis.call('PUBLISH', KEYS[2], cjson.encode({o = ARGV[6], t = 'cd', id = ARGV[1], m = ARGV[2], e = result}))
return encoded
`;

/**
 * Advances the shared cursor past the value a replica just used (never backwards, so a replica
 * that counted alone while Redis was away carries its progress over) and tells every replica.
 */
const ADVANCE_CURSOR_LUA = `
local next = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(ARGV[1]) + 1)
if next >= 4503599627370496 then next = 0 end
redis.call('SET', KEYS[1], next)
redis.call('PUBLISH', KEYS[2], next)
return next
`;

type Event =
  | { o: string; t: 'cd'; id: string; m: string; e: CooldownEntry | null }
  | { o: string; t: 'dis'; id: string; e: DisabledEntry | null };

/**
 * The pool's state shared through Redis, read from a local copy so that selection never waits on
 * the network. Writes apply locally at once, then go to Redis and to the other replicas over
 * pub/sub; a resync every RESYNC_MS (and on each reconnection) repairs whatever an event missed.
 * Counters are summed locally and flushed once a second with HINCRBY. The rotation cursor is
 * local too, kept in step with the shared one by a script that advances it and announces it.
 *
 * Keys, under REDIS_KEY_PREFIX: `pool:cursor` (an integer below 2^52), `pool:cd:{id}` (hash model → entry,
 * expires COOLDOWN_GRACE_MS after its last deadline), `pool:dis:{id}` and `pool:ctr:{id}`
 * (SHARED_STATE_TTL_MS, renewed on each write); events on the `pool:events` and `pool:cursor-events` channels.
 */
export class RedisPoolStateStore implements PoolStateStore {
  private readonly local = new InMemoryPoolStateStore();
  private readonly counts: SharedCounters;
  /** Bumped on every local change of a credential, so that an older resync reply never undoes it. */
  private readonly touched = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  /**
   * Cooldowns (credential → models) and disabled marks this replica holds that Redis has not
   * taken: a write refused (Redis full: `OOM command not allowed`), failed or not yet sent. A
   * resync keeps them and writes them again; shared state never replaces them until it has.
   */
  private readonly unsharedCooldowns = new Map<string, Set<string>>();
  private readonly unsharedDisabled = new Set<string>();
  private readonly logger = new Logger('SharedState');
  /** True from a refused write until one is accepted: said once, not per write. */
  private refusing = false;
  private sequence = 0;
  private ids: readonly string[] = [];
  /** The next cursor value, as far as this replica knows the shared one. */
  private cursor = 0;
  private readonly cursorChannel: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly channel: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly now: () => number = Date.now,
  ) {
    this.counts = new SharedCounters(redis, SHARED_STATE_TTL_MS);
    this.channel = redis.key('pool:events');
    this.cursorChannel = redis.key('pool:cursor-events');
    redis.subscribe(this.channel, (message) => this.onEvent(message));
    redis.subscribe(this.cursorChannel, (message) => this.adoptCursor(Number(message)));
    redis.onReady(() => void this.rejoin());
    redis.beforeClose(async () => {
      this.close();
      await this.counts.flush();
    });
    this.timers.push(
      setInterval(() => void this.refresh(this.ids), RESYNC_MS),
      setInterval(() => void this.counts.flush(), COUNTER_FLUSH_MS),
    );
    for (const t of this.timers) t.unref();
  }

  /**
   * The shared cursor without a round trip: every replica hears each advance over pub/sub (well
   * before the next request in practice), so consecutive requests through different replicas
   * take consecutive values. Two replicas selecting within the same fraction of a millisecond may
   * take the same value; each still rotates, and the advance never goes backwards.
   */
  nextCursor(): number {
    const value = this.cursor;
    this.cursor = (value + 1) % MAX_CURSOR;
    if (this.redis.isUp) {
      this.redis
        .eval(ADVANCE_CURSOR_LUA, [this.redis.key('pool:cursor'), this.cursorChannel], [value])
        .then((next) => this.adoptCursor(Number(next)))
        .catch(() => undefined);
    }
    return value;
  }

  getCooldown(credentialId: string, model: string): Readonly<CooldownEntry> | undefined {
    return this.local.getCooldown(credentialId, model);
  }

  getCooldowns(credentialId: string): ReadonlyMap<string, Readonly<CooldownEntry>> {
    return this.local.getCooldowns(credentialId);
  }

  setCooldown(credentialId: string, model: string, entry: CooldownEntry): void {
    this.touch(credentialId);
    this.local.setCooldown(credentialId, model, entry);
    this.markUnshared(credentialId, model);
    if (this.redis.isUp) void this.share(credentialId, model, entry);
  }

  /**
   * Writes one cooldown through the merge script and adopts the merged result. Until a write
   * lands, the entry stays marked unshared, so that no resync takes it away.
   */
  private async share(credentialId: string, model: string, entry: CooldownEntry): Promise<void> {
    this.writing(credentialId, +1);
    await this.redis
      .eval(
        SET_COOLDOWN_LUA,
        [this.redis.key(`pool:cd:${credentialId}`), this.channel],
        [
          credentialId,
          model,
          JSON.stringify(entry),
          this.now(),
          COOLDOWN_GRACE_MS,
          this.redis.instanceId,
        ],
      )
      .then((merged) => {
        const result = JSON.parse(String(merged)) as CooldownEntry;
        const current = this.local.getCooldown(credentialId, model);
        // A later local write has its own share under way; only the entry written is settled.
        if (current?.until !== entry.until || current.kind !== entry.kind) return;
        this.markShared(credentialId, model);
        if (result.until !== entry.until || result.kind !== entry.kind)
          this.local.setCooldown(credentialId, model, result);
      })
      .then(
        () => this.accepted(),
        (error: unknown) => this.refused(error),
      )
      .finally(() => this.writing(credentialId, -1));
  }

  /** Counts writes under way, so that a resync never overwrites what they are about to store. */
  private writing(credentialId: string, step: 1 | -1): void {
    const n = (this.inFlight.get(credentialId) ?? 0) + step;
    if (n > 0) this.inFlight.set(credentialId, n);
    else this.inFlight.delete(credentialId);
  }

  /**
   * After a (re)connection: what this replica learned alone goes to Redis first (merged, so a
   * longer limit another replica holds wins), then the shared state comes back. A Redis that
   * restarted empty is filled again, and no local cooldown is lost to it.
   */
  private async rejoin(): Promise<void> {
    this.redis.client
      .get(this.redis.key('pool:cursor'))
      .then((next) => this.adoptCursor(Number(next)))
      .catch(() => undefined);
    const now = this.now();
    const writes: Promise<void>[] = [];
    for (const id of this.ids) {
      for (const [model, entry] of this.local.getCooldowns(id))
        if (entry.until > now) writes.push(this.share(id, model, { ...entry }));
      if (this.unsharedDisabled.has(id)) writes.push(this.shareDisabled(id));
      else if (this.local.getDisabled(id)) writes.push(this.shareDisabled(id, true));
    }
    await Promise.all(writes);
    await this.refresh(this.ids);
  }

  /**
   * Writes the credential's disabled mark (or its removal) as this replica holds it; `onlyIfAbsent`
   * after a reconnection, where a mark another replica wrote meanwhile is newer than ours.
   */
  private async shareDisabled(credentialId: string, onlyIfAbsent = false): Promise<void> {
    const entry = this.local.getDisabled(credentialId);
    const key = this.redis.key(`pool:dis:${credentialId}`);
    this.writing(credentialId, +1);
    try {
      if (!entry) await this.redis.client.del(key);
      else if (onlyIfAbsent)
        await this.redis.client.set(key, JSON.stringify(entry), 'PX', SHARED_STATE_TTL_MS, 'NX');
      else await this.redis.client.set(key, JSON.stringify(entry), 'PX', SHARED_STATE_TTL_MS);
      if (this.local.getDisabled(credentialId) === entry)
        this.unsharedDisabled.delete(credentialId);
      this.accepted();
    } catch (error) {
      // Kept unshared: the next resync writes it again and leaves the local mark alone meanwhile.
      this.refused(error);
    } finally {
      this.writing(credentialId, -1);
    }
  }

  /** Writes again what Redis refused or never received; expired cooldowns need no writing. */
  private async shareUnshared(): Promise<void> {
    const now = this.now();
    const writes: Promise<void>[] = [];
    for (const [id, models] of this.unsharedCooldowns) {
      for (const model of models) {
        const entry = this.local.getCooldown(id, model);
        if (entry && entry.until > now) writes.push(this.share(id, model, { ...entry }));
        else this.markShared(id, model);
      }
    }
    for (const id of this.unsharedDisabled) writes.push(this.shareDisabled(id));
    await Promise.all(writes);
  }

  /** Another replica's success clears the model everywhere, this replica's unshared limit too. */
  private clearCooldownLocally(credentialId: string, model: string): void {
    this.local.clearCooldown(credentialId, model);
    this.markShared(credentialId, model);
  }

  /** A connection lost is RedisConnection's to report; a write Redis answered with an error is ours. */
  private refused(error: unknown): void {
    // ioredis names Redis's own error answers ReplyError; a timeout or a closed socket is not one.
    if (this.refusing || (error as Error | undefined)?.name !== 'ReplyError') return;
    this.refusing = true;
    const why = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `Redis refused a write of the pool state (${why.slice(0, 200)}); this replica keeps its own ` +
        'cooldowns, disabled marks and counts and writes them again at each resync',
    );
  }

  private accepted(): void {
    if (!this.refusing) return;
    this.refusing = false;
    this.logger.log('Redis takes the pool state’s writes again');
  }

  private markUnshared(credentialId: string, model: string): void {
    let models = this.unsharedCooldowns.get(credentialId);
    if (!models) this.unsharedCooldowns.set(credentialId, (models = new Set()));
    models.add(model);
  }

  private markShared(credentialId: string, model: string): void {
    const models = this.unsharedCooldowns.get(credentialId);
    if (!models?.delete(model) || models.size > 0) return;
    this.unsharedCooldowns.delete(credentialId);
  }

  clearCooldown(credentialId: string, model: string): void {
    this.touch(credentialId);
    this.local.clearCooldown(credentialId, model);
    this.markShared(credentialId, model);
    if (!this.redis.isUp) return;
    this.redis.client.hdel(this.redis.key(`pool:cd:${credentialId}`), model).catch(() => undefined);
    this.publish({ o: this.redis.instanceId, t: 'cd', id: credentialId, m: model, e: null });
  }

  getDisabled(credentialId: string): Readonly<DisabledEntry> | undefined {
    return this.local.getDisabled(credentialId);
  }

  setDisabled(credentialId: string, entry: DisabledEntry | undefined): void {
    this.touch(credentialId);
    this.local.setDisabled(credentialId, entry);
    this.unsharedDisabled.add(credentialId);
    if (!this.redis.isUp) return;
    void this.shareDisabled(credentialId);
    this.publish({ o: this.redis.instanceId, t: 'dis', id: credentialId, e: entry ?? null });
  }

  counters(credentialId: string): CredentialCounters {
    return this.counts.get(credentialId);
  }

  recordUse(credentialId: string, at: number): void {
    this.counts.recordUse(credentialId, at);
  }

  recordSuccess(credentialId: string): void {
    this.counts.recordSuccess(credentialId);
  }

  recordFailure(credentialId: string, error: LastError, rateLimited: boolean): void {
    this.counts.recordFailure(credentialId, error, rateLimited);
  }

  /**
   * Local only: one replica's folder losing a file must not wipe what the others share. The
   * keys of a credential gone for good expire on their own.
   */
  forget(credentialId: string): void {
    this.local.forget(credentialId);
    this.counts.forget(credentialId);
    this.unsharedCooldowns.delete(credentialId);
    this.unsharedDisabled.delete(credentialId);
  }

  /** Re-reads the shared state of these credentials; a no-op while Redis is away. */
  async refresh(credentialIds: readonly string[]): Promise<void> {
    this.ids = credentialIds;
    if (!this.redis.isUp || credentialIds.length === 0) return;
    await Promise.all([this.counts.flush(), this.shareUnshared()]);
    const started = this.sequence;
    const pipeline = this.redis.client.pipeline();
    for (const id of credentialIds) {
      pipeline.hgetall(this.redis.key(`pool:cd:${id}`));
      pipeline.get(this.redis.key(`pool:dis:${id}`));
      pipeline.hgetall(this.counts.key(id));
    }
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch {
      return;
    }
    if (!replies) return;
    credentialIds.forEach((id, i) => {
      const [cd, dis, ctr] = replies
        .slice(i * 3, i * 3 + 3)
        .map(([error, value]) => (error ? undefined : value));
      if (ctr && typeof ctr === 'object') this.counts.adopt(id, ctr as Record<string, string>);
      if ((this.touched.get(id) ?? -1) > started || this.inFlight.has(id)) return;
      const unshared = this.unsharedCooldowns.get(id);
      if (cd && typeof cd === 'object') {
        const shared = cd as Record<string, string>;
        for (const model of this.local.getCooldowns(id).keys())
          if (!(model in shared) && !unshared?.has(model)) this.local.clearCooldown(id, model);
        for (const [model, raw] of Object.entries(shared)) {
          const entry = parse<CooldownEntry>(raw);
          if (!entry) continue;
          const own = unshared?.has(model) ? this.local.getCooldown(id, model) : undefined;
          this.local.setCooldown(id, model, own ? mergeCooldown(own, entry, this.now()) : entry);
        }
      }
      if (dis !== undefined && !this.unsharedDisabled.has(id))
        this.local.setDisabled(id, parse<DisabledEntry>(dis as string | null));
    });
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
  }

  private touch(credentialId: string): void {
    this.touched.set(credentialId, ++this.sequence);
  }

  private adoptCursor(next: number): void {
    if (Number.isSafeInteger(next) && next > this.cursor) this.cursor = next;
  }

  private publish(event: Event): void {
    this.redis.client.publish(this.channel, JSON.stringify(event)).catch(() => undefined);
  }

  private onEvent(message: string): void {
    const event = parse<Event>(message);
    if (!event || event.o === this.redis.instanceId) return;
    this.touch(event.id);
    if (event.t === 'cd') {
      const own = this.unsharedCooldowns.get(event.id)?.has(event.m)
        ? this.local.getCooldown(event.id, event.m)
        : undefined;
      if (!event.e) this.clearCooldownLocally(event.id, event.m);
      else
        this.local.setCooldown(
          event.id,
          event.m,
          own ? mergeCooldown(own, event.e, this.now()) : event.e,
        );
    } else {
      // Another replica's mark reached Redis after ours failed to: it is the newer word.
      this.unsharedDisabled.delete(event.id);
      this.local.setDisabled(event.id, event.e ?? undefined);
    }
  }
}

/** SET_COOLDOWN_LUA's rule, for a local entry Redis has not taken and the shared one. */
function mergeCooldown(own: CooldownEntry, shared: CooldownEntry, now: number): CooldownEntry {
  const running = (e: CooldownEntry) => e.kind !== 'transient' && e.until > now;
  if (!running(shared)) return own;
  if (own.kind === 'transient') return shared;
  return {
    ...own,
    until: Math.max(own.until, shared.until),
    strikes: Math.max(own.strikes, shared.strikes),
  };
}

function parse<T>(raw: string | null | undefined): T | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}
