import { setTimeout as sleep } from 'node:timers/promises';
import { CoordinatedToken, SharedToken, TokenCoordinator } from '../credentials/token-coordinator';
import { RedisConnection } from '../redis/redis-connection';

/**
 * How long one replica may hold a refresh. A refresh takes well under a second; past this, a holder
 * that died or hangs (the provider's own limit is TOKEN_TIMEOUT_MS) no longer holds the others,
 * which then refresh themselves: a second refresh costs less than requests left waiting.
 */
export const REFRESH_LOCK_MS = 35_000;
const POLL_MS = 50;
/** A token Google gave without an expiry is kept as long as Google's usual hour, minus a margin. */
const DEFAULT_TOKEN_TTL_MS = 50 * 60_000;

/** Deletes the lock only while it is still this holder's (it may have lapsed and gone to another). */
const UNLOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface StoredToken extends SharedToken {
  fingerprint: string;
}

/**
 * One replica refreshes a credential's access token under `SET token-lock:{id} NX PX`, stores
 * the result in `token:{id}` until it expires, and releases the lock; the others poll that key
 * every POLL_MS and reuse the token. When Redis fails (or the lock outlives its deadline) the
 * replica refreshes on its own: a second refresh costs less than a request left waiting.
 */
export class RedisTokenCoordinator implements TokenCoordinator {
  constructor(
    private readonly redis: RedisConnection,
    private readonly now: () => number = Date.now,
  ) {}

  async refresh(
    credentialId: string,
    fingerprint: string,
    acceptable: (token: SharedToken) => boolean,
    refresh: () => Promise<SharedToken>,
  ): Promise<CoordinatedToken> {
    const tokenKey = this.redis.key(`token:${credentialId}`);
    const lockKey = this.redis.key(`token-lock:${credentialId}`);
    const deadline = this.now() + REFRESH_LOCK_MS;
    while (this.redis.isUp && this.now() < deadline) {
      const shared = await this.read(tokenKey, fingerprint);
      if (shared === 'error') break;
      if (shared && acceptable(shared)) return { token: shared, refreshed: false };
      let locked: string | null;
      try {
        locked = await this.redis.client.set(
          lockKey,
          this.redis.instanceId,
          'PX',
          REFRESH_LOCK_MS,
          'NX',
        );
      } catch {
        break;
      }
      if (locked === 'OK')
        return this.refreshHolding(tokenKey, lockKey, fingerprint, acceptable, refresh);
      await sleep(POLL_MS);
    }
    return { token: await refresh(), refreshed: true };
  }

  private async refreshHolding(
    tokenKey: string,
    lockKey: string,
    fingerprint: string,
    acceptable: (token: SharedToken) => boolean,
    refresh: () => Promise<SharedToken>,
  ): Promise<CoordinatedToken> {
    try {
      // The previous holder may have stored a token between our read and our lock.
      const shared = await this.read(tokenKey, fingerprint);
      if (shared && shared !== 'error' && acceptable(shared))
        return { token: shared, refreshed: false };
      const token = await refresh();
      const ttl = token.expiryDate ? token.expiryDate - this.now() : DEFAULT_TOKEN_TTL_MS;
      if (ttl > 1_000) {
        const stored: StoredToken = { ...token, fingerprint };
        await this.redis.client
          .set(tokenKey, JSON.stringify(stored), 'PX', Math.round(ttl))
          .catch(() => undefined);
      }
      return { token, refreshed: true };
    } finally {
      await this.redis.eval(UNLOCK_LUA, [lockKey], [this.redis.instanceId]).catch(() => undefined);
    }
  }

  private async read(key: string, fingerprint: string): Promise<SharedToken | undefined | 'error'> {
    let raw: string | null;
    try {
      raw = await this.redis.client.get(key);
    } catch {
      return 'error';
    }
    if (!raw) return undefined;
    try {
      const stored = JSON.parse(raw) as StoredToken;
      if (stored.fingerprint !== fingerprint || typeof stored.accessToken !== 'string')
        return undefined;
      return { accessToken: stored.accessToken, expiryDate: stored.expiryDate };
    } catch {
      return undefined;
    }
  }
}
