import { Clock } from './clock';
import { Credential, CredentialKind, describeCredential } from './credential';
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
  /** Only credentials of this kind can serve the action (embeddings need an API key). */
  kind?: CredentialKind;
  exclude?: ReadonlySet<string>;
}

export type Selection =
  | { outcome: 'selected'; credential: Credential }
  | { outcome: 'empty' }
  | { outcome: 'none-capable'; kind: CredentialKind }
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
export const TRANSIENT_BACKOFF: BackoffPolicy = { kind: 'transient', baseMs: 2_000, maxMs: 60_000 };
/** A 404 for one model on one credential: usually a missing entitlement, not a passing fault. */
export const MODEL_UNAVAILABLE_BACKOFF: BackoffPolicy = {
  kind: 'unavailable',
  baseMs: 10 * 60_000,
  maxMs: 60 * 60_000,
};

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
}

/**
 * The rotating pool: round-robin over eligible credentials, per-model cooldowns with
 * exponential backoff, disabled credentials with Google's reason. State lives in the store.
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

  select(options: SelectOptions): Selection {
    const n = this.credentials.length;
    if (n === 0) return { outcome: 'empty' };
    const now = this.clock.now();
    const start = this.store.nextCursor() % n;
    let capable = 0;
    let excluded = 0;
    const disabledReasons: string[] = [];
    let soonest = Infinity;
    let onlyUnavailable = true;
    for (let i = 0; i < n; i++) {
      const c = this.credentials[(start + i) % n];
      if (options.kind && c.kind !== options.kind) continue;
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
      const blocking = this.blockingCooldown(c.id, options.model, now);
      if (blocking) {
        soonest = Math.min(soonest, blocking.until);
        if ((blocking.kind ?? 'rate-limit') !== 'unavailable') onlyUnavailable = false;
        continue;
      }
      return { outcome: 'selected', credential: c };
    }
    if (capable === 0) return { outcome: 'none-capable', kind: options.kind ?? 'oauth' };
    if (excluded > 0) return { outcome: 'exhausted' };
    if (soonest !== Infinity) {
      return onlyUnavailable
        ? { outcome: 'all-cooling', soonest, unavailable: true }
        : { outcome: 'all-cooling', soonest };
    }
    return { outcome: 'all-disabled', reasons: disabledReasons };
  }

  /** The active cooldown that ends last, of the model's own and the whole-credential one. */
  private blockingCooldown(
    id: string,
    model: string,
    now: number,
  ): Readonly<CooldownEntry> | undefined {
    const own = this.store.getCooldown(id, model);
    const all = this.store.getCooldown(id, ALL_MODELS);
    const a = own && own.until > now ? own : undefined;
    const b = all && all.until > now ? all : undefined;
    if (!a || !b) return a ?? b;
    if (a.until === b.until) return (a.kind ?? 'rate-limit') !== 'unavailable' ? a : b;
    return a.until > b.until ? a : b;
  }

  /**
   * Cools a credential for one model (or all). Google's own delay wins; without one the wait
   * doubles with each consecutive strike. A later, shorter deadline never shortens an earlier one.
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
    const strikes = (previous?.strikes ?? 0) + 1;
    const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (strikes - 1));
    const until = Math.max(
      untilMs ?? now + backoff,
      previous && previous.until > now ? previous.until : 0,
    );
    const entry: CooldownEntry = { until, reason, strikes, kind: policy.kind };
    this.store.setCooldown(id, model, entry);
    return until;
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

  status(): CredentialStatus[] {
    const now = this.clock.now();
    return this.credentials.map((c) => {
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
      return {
        id: c.id,
        kind: c.kind,
        label: describeCredential(c),
        email: c.kind === 'oauth' ? c.email : undefined,
        projectId: c.kind === 'oauth' ? c.projectId : undefined,
        state: disabled ? 'disabled' : cooldowns.length > 0 ? 'cooling' : 'ok',
        cooldowns,
        disabled: disabled && { ...disabled },
        counters: this.store.counters(c.id),
        sourceFile: c.kind === 'oauth' ? c.sourceFile : undefined,
      };
    });
  }
}
