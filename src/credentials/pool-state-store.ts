/**
 * The pool's shared state: rotation cursor, cooldowns, disabled reasons and counters. One small
 * interface so that a Redis implementation can let several replicas share it; nothing outside
 * a store implementation may assume the state lives in process memory. That is why every write is
 * a named operation (an increment, a field set) and every read returns a snapshot: a Redis store
 * maps them to HINCRBY/HSET and HGETALL, and no caller holds a live object to mutate.
 */

/**
 * What kind of trouble an entry stands for. `rate-limit` and `unavailable` make the credential
 * ineligible for the model until `until` (the dispatcher answers differently when all are cooling);
 * `transient` is a passing fault of Google's that only lowers the credential's priority until then.
 */
export type CooldownKind = 'rate-limit' | 'transient' | 'unavailable';

export interface CooldownEntry {
  /** Epoch ms at which the entry stops mattering for selection. */
  until: number;
  reason: string;
  /**
   * Google's rate limits in a row, for exponential backoff when Google gives no delay; a passing
   * fault carries over the strikes of the limit it replaced.
   */
  strikes: number;
  /** Absent on entries written before kinds existed; read as 'rate-limit'. */
  kind?: CooldownKind;
}

export interface DisabledEntry {
  reason: string;
  message: string;
  fixUrl?: string;
  at: number;
}

export interface LastError {
  at: number;
  status: number;
  reason: string;
  message: string;
}

export interface CredentialCounters {
  requests: number;
  successes: number;
  rateLimits: number;
  errors: number;
  lastUsedAt?: number;
  lastError?: LastError;
}

/** `*` as the model stands for every model. */
export const ALL_MODELS = '*';

/** The token the app binds to the pool's store: in memory, or Redis when replicas share it. */
export const POOL_STATE_STORE = Symbol('POOL_STATE_STORE');

export interface PoolStateStore {
  /** Returns the cursor value before incrementing it. */
  nextCursor(): number;
  /** The cooldown for one model (or ALL_MODELS), expired or not; the hot path of every selection. */
  getCooldown(credentialId: string, model: string): Readonly<CooldownEntry> | undefined;
  /** A snapshot of the credential's cooldowns by model (expired entries included, for their strikes). */
  getCooldowns(credentialId: string): ReadonlyMap<string, Readonly<CooldownEntry>>;
  setCooldown(credentialId: string, model: string, entry: CooldownEntry): void;
  clearCooldown(credentialId: string, model: string): void;
  getDisabled(credentialId: string): Readonly<DisabledEntry> | undefined;
  setDisabled(credentialId: string, entry: DisabledEntry | undefined): void;
  /** A snapshot of the credential's counters. */
  counters(credentialId: string): CredentialCounters;
  /** One request was sent with this credential at `at`. */
  recordUse(credentialId: string, at: number): void;
  recordSuccess(credentialId: string): void;
  /** One failure; a rate limit counts apart from other errors. */
  recordFailure(credentialId: string, error: LastError, rateLimited: boolean): void;
  /** Forgets a credential that left the pool. */
  forget(credentialId: string): void;
  /**
   * Brings the local view of these credentials up to date with what other replicas shared, and
   * tells the store which credentials to keep up to date from now on. Resolves at once in memory.
   */
  refresh(credentialIds: readonly string[]): Promise<void>;
}

export class InMemoryPoolStateStore implements PoolStateStore {
  private cursor = 0;
  private readonly cooldowns = new Map<string, Map<string, CooldownEntry>>();
  private readonly disabled = new Map<string, DisabledEntry>();
  private readonly stats = new Map<string, CredentialCounters>();

  nextCursor(): number {
    const value = this.cursor;
    this.cursor = (this.cursor + 1) % Number.MAX_SAFE_INTEGER;
    return value;
  }

  getCooldown(credentialId: string, model: string): Readonly<CooldownEntry> | undefined {
    return this.cooldowns.get(credentialId)?.get(model);
  }

  getCooldowns(credentialId: string): ReadonlyMap<string, Readonly<CooldownEntry>> {
    return new Map(this.cooldowns.get(credentialId));
  }

  setCooldown(credentialId: string, model: string, entry: CooldownEntry): void {
    let models = this.cooldowns.get(credentialId);
    if (!models) this.cooldowns.set(credentialId, (models = new Map()));
    models.set(model, { ...entry });
  }

  clearCooldown(credentialId: string, model: string): void {
    this.cooldowns.get(credentialId)?.delete(model);
  }

  getDisabled(credentialId: string): Readonly<DisabledEntry> | undefined {
    return this.disabled.get(credentialId);
  }

  setDisabled(credentialId: string, entry: DisabledEntry | undefined): void {
    if (entry) this.disabled.set(credentialId, { ...entry });
    else this.disabled.delete(credentialId);
  }

  counters(credentialId: string): CredentialCounters {
    const c = this.stats.get(credentialId);
    return c ? { ...c } : { requests: 0, successes: 0, rateLimits: 0, errors: 0 };
  }

  recordUse(credentialId: string, at: number): void {
    const c = this.live(credentialId);
    c.requests++;
    c.lastUsedAt = at;
  }

  recordSuccess(credentialId: string): void {
    this.live(credentialId).successes++;
  }

  recordFailure(credentialId: string, error: LastError, rateLimited: boolean): void {
    const c = this.live(credentialId);
    if (rateLimited) c.rateLimits++;
    else c.errors++;
    c.lastError = { ...error };
  }

  forget(credentialId: string): void {
    this.cooldowns.delete(credentialId);
    this.disabled.delete(credentialId);
    this.stats.delete(credentialId);
  }

  refresh(): Promise<void> {
    return Promise.resolve();
  }

  private live(credentialId: string): CredentialCounters {
    let c = this.stats.get(credentialId);
    if (!c)
      this.stats.set(credentialId, (c = { requests: 0, successes: 0, rateLimits: 0, errors: 0 }));
    return c;
  }
}
