import { Clock } from '../time/clock';
import { accountOf, Credential, CredentialKind, describeCredential } from './credential';
import { shownProxy } from '../route-out/proxy-url';
import {
  ALL_MODELS,
  CooldownEntry,
  CooldownKind,
  CredentialCounters,
  DisabledEntry,
  PoolStateStore,
} from './pool-state-store';

export interface SelectOptions {
  model: string;
  /** Only the credentials this accepts can serve the action (embeddings: not Code Assist, not Vertex express). */
  canServe?: (credential: Credential) => boolean;
  exclude?: ReadonlySet<string>;
  /** Taken before round-robin when eligible and free of faults (a conversation's own credential). */
  prefer?: string;
}

export type Selection =
  | { outcome: 'selected'; credential: Credential }
  | { outcome: 'empty' }
  | { outcome: 'none-capable' }
  | { outcome: 'all-disabled'; reasons: string[] }
  /** `unavailable`: every cooldown in the way is a 404 for this model, not a rate limit. */
  | { outcome: 'all-cooling'; soonest: number; unavailable?: true }
  | { outcome: 'exhausted' };

export interface BackoffPolicy {
  kind: CooldownKind;
  baseMs: number;
  maxMs: number;
}

export const RATE_LIMIT_BACKOFF: BackoffPolicy = {
  kind: 'rate-limit',
  baseMs: 1_000,
  maxMs: 30 * 60_000,
};
/** A 404 for one model on one credential: usually a missing entitlement, not a passing fault. */
export const MODEL_UNAVAILABLE_BACKOFF: BackoffPolicy = {
  kind: 'unavailable',
  baseMs: 10 * 60_000,
  maxMs: 60 * 60_000,
};

/**
 * How long a passing fault of Google's (5xx, timeout, reset, cut) keeps a credential behind the
 * others for that model. It never makes the credential ineligible (DESIGN §6).
 */
export const PASSING_FAULT_MS = 10_000;
/** How long an expired limit's strikes still count, so that a limit hit again soon backs off longer. */
export const STRIKE_MEMORY_MS = 5 * 60_000;
/**
 * Per-model entries kept per credential. Model names come from clients, so without a bound a
 * stream of made-up names would grow the state (and every status view) without end.
 */
export const MAX_MODEL_ENTRIES = 32;

export type CredentialState = 'ok' | 'cooling' | 'disabled';

export interface CredentialStatus {
  id: string;
  kind: CredentialKind;
  label: string;
  email?: string;
  projectId?: string;
  state: CredentialState;
  cooldowns: {
    model: string;
    until: number;
    remainingMs: number;
    reason: string;
    kind: CooldownKind;
  }[];
  disabled?: DisabledEntry;
  counters: CredentialCounters;
  sourceFile?: string;
  /** The credential's own outbound proxy as scheme://host:port, never its user name or password. */
  proxy?: string;
}

/**
 * The rotating pool: round-robin over eligible credentials, per-model cooldowns with
 * exponential backoff when Google rate-limits, a lower priority for a moment after Google's
 * passing faults, disabled credentials with Google's reason. State lives in the store.
 */
export class CredentialPool {
  private credentials: Credential[] = [];

  constructor(
    private readonly store: PoolStateStore,
    private readonly clock: Clock,
  ) {}

  replaceAll(next: Credential[]): void {
    const keep = new Set(next.map((c) => c.id));
    for (const old of this.credentials) if (!keep.has(old.id)) this.store.forget(old.id);
    this.credentials = [...next];
    void this.store.refresh(this.credentials.map((c) => c.id));
  }

  /** Takes in what other replicas learned (a no-op with one process); before showing the status. */
  refresh(): Promise<void> {
    return this.store.refresh(this.credentials.map((c) => c.id));
  }

  /** Replaces one credential in place (e.g. after a token refresh or a discovered project). */
  update(credential: Credential): void {
    const i = this.credentials.findIndex((c) => c.id === credential.id);
    if (i >= 0) this.credentials[i] = credential;
  }

  list(): readonly Credential[] {
    return this.credentials;
  }

  get(id: string): Credential | undefined {
    return this.credentials.find((c) => c.id === id);
  }

  get size(): number {
    return this.credentials.length;
  }

  /**
   * The next eligible credential in round-robin order. One that had a passing fault lately is
   * taken only when no eligible credential is without one; of those, the fault that ends first.
   */
  select(options: SelectOptions): Selection {
    const n = this.credentials.length;
    if (n === 0) return { outcome: 'empty' };
    const now = this.clock.now();
    const preferred = options.prefer === undefined ? undefined : this.get(options.prefer);
    if (preferred && this.isFree(preferred, options, now)) {
      return { outcome: 'selected', credential: preferred };
    }
    const start = this.store.nextCursor() % n;
    let capable = 0;
    let excluded = 0;
    const disabledReasons: string[] = [];
    let soonest = Infinity;
    let onlyUnavailable = true;
    let faulted: Credential | undefined;
    let faultedUntil = Infinity;
    for (let i = 0; i < n; i++) {
      const c = this.credentials[(start + i) % n];
      if (options.canServe && !options.canServe(c)) continue;
      capable++;
      if (options.exclude?.has(c.id)) {
        excluded++;
        continue;
      }
      const disabled = this.store.getDisabled(c.id);
      if (disabled) {
        disabledReasons.push(`${describeCredential(c)}: ${disabled.reason}`);
        continue;
      }
      const own = this.store.getCooldown(c.id, options.model);
      const blocking = this.blockingCooldown(c.id, own, now);
      if (blocking) {
        soonest = Math.min(soonest, blocking.until);
        if ((blocking.kind ?? 'rate-limit') !== 'unavailable') onlyUnavailable = false;
        continue;
      }
      if (own?.kind !== 'transient' || own.until <= now) {
        return { outcome: 'selected', credential: c };
      }
      if (own.until < faultedUntil) {
        faulted = c;
        faultedUntil = own.until;
      }
    }
    if (faulted) return { outcome: 'selected', credential: faulted };
    if (capable === 0) return { outcome: 'none-capable' };
    if (excluded > 0) return { outcome: 'exhausted' };
    if (soonest !== Infinity) {
      return onlyUnavailable
        ? { outcome: 'all-cooling', soonest, unavailable: true }
        : { outcome: 'all-cooling', soonest };
    }
    return { outcome: 'all-disabled', reasons: disabledReasons };
  }

  /** Able, not excluded, not disabled, and neither limited nor recently faulted for the model. */
  private isFree(c: Credential, options: SelectOptions, now: number): boolean {
    if (options.canServe && !options.canServe(c)) return false;
    if (options.exclude?.has(c.id) || this.store.getDisabled(c.id)) return false;
    const own = this.store.getCooldown(c.id, options.model);
    if (this.blockingCooldown(c.id, own, now)) return false;
    return own?.kind !== 'transient' || own.until <= now;
  }

  /** The active limit that ends last, of the model's own and the whole-credential one. */
  private blockingCooldown(
    id: string,
    ownEntry: Readonly<CooldownEntry> | undefined,
    now: number,
  ): Readonly<CooldownEntry> | undefined {
    const all = this.store.getCooldown(id, ALL_MODELS);
    const a = ownEntry && isActiveLimit(ownEntry, now) ? ownEntry : undefined;
    const b = all && isActiveLimit(all, now) ? all : undefined;
    if (!a || !b) return a ?? b;
    if (a.until === b.until) return (a.kind ?? 'rate-limit') !== 'unavailable' ? a : b;
    return a.until > b.until ? a : b;
  }

  /**
   * Makes a credential ineligible for one model (or all) after Google said so (429, quota, 404).
   * Google's own delay wins; without one the wait doubles with each strike. A strike counts only
   * when the previous limit had run out: the concurrent failures of one burst are one strike, and
   * a later, shorter deadline never shortens a running one.
   */
  cool(
    id: string,
    model: string,
    reason: string,
    untilMs: number | undefined,
    policy: BackoffPolicy,
  ): number {
    const now = this.clock.now();
    const previous = this.store.getCooldown(id, model);
    if (previous && isActiveLimit(previous, now)) {
      // Google's latest answer names the kind; the strikes stay those of the running limit.
      const until = Math.max(previous.until, untilMs ?? 0);
      if (until !== previous.until || previous.kind !== policy.kind) {
        this.store.setCooldown(id, model, { ...previous, until, reason, kind: policy.kind });
      }
      return until;
    }
    const strikes = strikesOf(previous, now) + 1;
    const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (strikes - 1));
    const until = untilMs ?? now + backoff;
    this.write(id, model, { until, reason, strikes, kind: policy.kind }, now);
    return until;
  }

  /**
   * A passing fault of Google's: the credential goes behind the others for this model for a
   * moment, and stays eligible. Returns when that ends, or undefined when a running limit
   * already keeps the credential out (the fault adds nothing to it).
   */
  lowerPriority(id: string, model: string, reason: string): number | undefined {
    const now = this.clock.now();
    const previous = this.store.getCooldown(id, model);
    if (previous && isActiveLimit(previous, now)) return undefined;
    const until = now + PASSING_FAULT_MS;
    this.write(
      id,
      model,
      { until, reason, strikes: strikesOf(previous, now), kind: 'transient' },
      now,
    );
    return until;
  }

  /**
   * Writes one entry and keeps the credential's entries bounded: those that no longer matter go,
   * and past MAX_MODEL_ENTRIES the ones that end first (a limit forgotten early costs one call).
   */
  private write(id: string, model: string, entry: CooldownEntry, now: number): void {
    this.store.setCooldown(id, model, entry);
    this.prune(id, now, model);
  }

  private prune(id: string, now: number, keep?: string): void {
    const entries = this.store.getCooldowns(id);
    let live = 0;
    for (const [model, e] of entries) {
      if (model !== keep && isStale(e, now)) this.store.clearCooldown(id, model);
      else live++;
    }
    if (live <= MAX_MODEL_ENTRIES) return;
    const evictable = [...entries]
      .filter(([model, e]) => model !== keep && model !== ALL_MODELS && !isStale(e, now))
      .sort(([, a], [, b]) => a.until - b.until);
    for (const [model] of evictable.slice(0, live - MAX_MODEL_ENTRIES)) {
      this.store.clearCooldown(id, model);
    }
  }

  /** A success clears the backoff for that model. */
  markSuccess(id: string, model: string): void {
    this.store.recordSuccess(id);
    if (this.store.getCooldown(id, model)) this.store.clearCooldown(id, model);
  }

  markUsed(id: string): void {
    this.store.recordUse(id, this.clock.now());
  }

  recordError(
    id: string,
    status: number,
    reason: string,
    message: string,
    rateLimited = false,
  ): void {
    this.store.recordFailure(
      id,
      { at: this.clock.now(), status, reason, message: message.slice(0, 300) },
      rateLimited,
    );
  }

  disable(id: string, entry: Omit<DisabledEntry, 'at'>): void {
    this.store.setDisabled(id, { ...entry, at: this.clock.now() });
  }

  enable(id: string): boolean {
    if (!this.get(id)) return false;
    this.store.setDisabled(id, undefined);
    for (const model of this.store.getCooldowns(id).keys()) this.store.clearCooldown(id, model);
    return true;
  }

  isDisabled(id: string): boolean {
    return this.store.getDisabled(id) !== undefined;
  }

  /** Every credential with its active entries; entries that no longer matter are pruned on the way. */
  status(): CredentialStatus[] {
    const now = this.clock.now();
    return this.credentials.map((c) => {
      this.prune(c.id, now);
      const disabled = this.store.getDisabled(c.id);
      const cooldowns = [...this.store.getCooldowns(c.id).entries()]
        .filter(([, e]) => e.until > now)
        .map(([model, e]) => ({
          model,
          until: e.until,
          remainingMs: e.until - now,
          reason: e.reason,
          kind: e.kind ?? 'rate-limit',
        }));
      // A passing fault is listed (it explains the lower priority) but leaves the credential ok.
      const cooling = cooldowns.some((e) => e.kind !== 'transient');
      return {
        id: c.id,
        kind: c.kind,
        label: describeCredential(c),
        ...accountOf(c),
        state: disabled ? 'disabled' : cooling ? 'cooling' : 'ok',
        cooldowns,
        disabled: disabled && { ...disabled },
        counters: this.store.counters(c.id),
        sourceFile: sourceFileOf(c),
        ...(c.proxy ? { proxy: shownProxy(c.proxy) } : {}),
      };
    });
  }
}

/** Google's limit (429, quota, 404) still running: the credential may not serve the model. */
function isActiveLimit(entry: Readonly<CooldownEntry>, now: number): boolean {
  return entry.kind !== 'transient' && entry.until > now;
}

/** The strikes an earlier entry hands on, while they still count. */
function strikesOf(entry: Readonly<CooldownEntry> | undefined, now: number): number {
  return entry && entry.until + STRIKE_MEMORY_MS > now ? entry.strikes : 0;
}

/** Over, and its strikes no longer count: nothing is lost by forgetting it. */
function isStale(entry: Readonly<CooldownEntry>, now: number): boolean {
  return entry.until <= now && (entry.strikes === 0 || entry.until + STRIKE_MEMORY_MS <= now);
}

function sourceFileOf(c: Credential): string | undefined {
  if (c.kind === 'oauth') return c.sourceFile;
  if (c.kind === 'vertex' && c.mode === 'service-account') return c.sourceFile;
  return undefined;
}
