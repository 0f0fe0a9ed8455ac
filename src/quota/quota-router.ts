import { Logger } from '@nestjs/common';
import { Clock } from '../time/clock';
import { Credential } from '../credentials/credential';
import { CredentialPool, RATE_LIMIT_BACKOFF } from '../credentials/credential-pool';
import { ApiError } from '../errors/api-error';
import { DAILY_QUOTA_REASON } from '../upstream/error-classifier';
import { UpstreamHttpError } from '../upstream/upstream-errors';
import {
  AccountUnreachable,
  type CallQuota,
  type Choose,
  type QuotaRequest,
  type QuotaSelection,
  type UserQuotaReader,
} from '../upstream/call-quota';
import type { ResourcePin } from '../upstream/resource-pin';
import { CodeAssistBucket, readUserQuota } from './code-assist-quota';
import { quotaRequestOf } from './quota-request';
import { RequestContext } from '../request/request-context';
import { describeLimit, Room } from './headroom';
import { LimitTable, limitsFor, QuotaLimits } from '../config/quota-limits';
import { readQuotaLesson } from './quota-failure';
import { dayWindow, minuteWindow } from './quota-windows';
import { QuotaKey, QuotaStore, QuotaWindows } from './quota-store';
import { AffinityStore } from './session-affinity';

export interface QuotaOptions {
  /** Off: plain round-robin that learns nothing (kept to measure what quota routing saves). */
  routing: boolean;
  /** QUOTA_LIMITS: for Gemini API keys that declare none of their own. */
  declared: LimitTable;
  /** SESSION_AFFINITY_TTL_S in ms; 0 turns affinity off. */
  affinityTtlMs: number;
}

export type { Choose, QuotaRequest, QuotaSelection, UserQuotaReader };

/** How often a Code Assist account in use is asked for its quota again. */
export const USER_QUOTA_REFRESH_MS = 5 * 60_000;

const NO_EXCLUSIONS: ReadonlySet<string> = new Set();
const UNREACHABLE = Symbol('unreachable');
const DONE = Promise.resolve(true);

/**
 * Quota-aware selection (DESIGN §12): counts what each credential sends per model in the current
 * minute and Pacific day, learns each limit from Google's 429s (or takes it declared, or asks
 * Code Assist), and lets the pool pick only among credentials with room. A conversation keeps to
 * the credential that served it while that one has room. When none has room the request gets the
 * proxy's own 429, and Google is not called.
 */
export class QuotaRouter implements CallQuota {
  private readonly logger = new Logger('Quota');
  /** Google projects learned from answers: keys of one project share one count. */
  private readonly projects = new Map<string, string>();
  private readonly userQuota = new Map<
    string,
    { at: number; buckets: Map<string, CodeAssistBucket> }
  >();
  /** A first ask in flight; settles `false` when the account could not be reached. */
  private readonly asking = new Map<string, Promise<boolean>>();
  private reader: UserQuotaReader | undefined;

  constructor(
    readonly store: QuotaStore,
    private readonly affinity: AffinityStore,
    private readonly pool: CredentialPool,
    private readonly clock: Clock,
    readonly options: QuotaOptions,
  ) {}

  /** The dispatcher lends its backends, so Code Assist accounts can be asked for their quota. */
  /** The request's model, estimated tokens and conversation; none for countTokens. */
  requestOf(
    action: string,
    req: { model: string; body: unknown; context: RequestContext },
    payload: string | undefined,
  ): QuotaRequest | undefined {
    if (!this.options.routing) return undefined;
    return quotaRequestOf(action, req, payload, this.options.affinityTtlMs > 0);
  }

  useUserQuotaReader(reader: UserQuotaReader): void {
    this.reader = reader;
  }

  /**
   * The conversation's own credential first, then round-robin among the credentials with room.
   * A request pinned to a resource's owner (`choose` offers no other) is still counted; when the
   * owner has no room the 429 names the resource, since no other credential could serve it.
   */
  async select(
    request: QuotaRequest | undefined,
    choose: Choose,
    pin?: ResourcePin,
  ): Promise<QuotaSelection> {
    if (!this.options.routing || !request) return choose(NO_EXCLUSIONS);
    const now = this.clock.now();
    const windows = windowsAt(now);
    const full = new Set<string>();
    let firstFull: { room: Extract<Room, { ok: false }>; credential: Credential } | undefined;
    let prefer =
      request.conversation?.continues && this.options.affinityTtlMs > 0
        ? await this.affinity.get(request.conversation.key)
        : undefined;
    for (;;) {
      const selection = choose(full, prefer);
      prefer = undefined;
      if (selection.outcome !== 'selected') {
        if (!firstFull) return selection;
        return {
          outcome: 'quota-full',
          error: this.fullError(request.model, firstFull, now, pin),
        };
      }
      const credential = selection.credential;
      const room = await this.reserve(credential, request, windows, now);
      if (room === UNREACHABLE) {
        // Its token could not be had: passed over like a failed attempt, no quota verdict.
        full.add(credential.id);
        continue;
      }
      if (room.ok) {
        request.countedAt = now;
        return selection;
      }
      full.add(credential.id);
      if (!firstFull || room.reopensAt < firstFull.room.reopensAt) firstFull = { room, credential };
    }
  }

  /** A turn was served: the conversation keeps to this credential from now on. */
  served(credential: Credential, request: QuotaRequest | undefined): void {
    if (!request?.conversation || this.options.affinityTtlMs <= 0) return;
    void this.affinity.set(request.conversation.key, credential.id);
  }

  /** Google's real input-token count replaces the estimate the request was counted with. */
  usage(credentialId: string, request: QuotaRequest, promptTokens: number): void {
    if (!this.options.routing) return;
    const credential = this.pool.get(credentialId);
    if (!credential || promptTokens === request.tokens) return;
    void this.store.addTokens(
      this.keyOf(credential, request.model),
      windowsAt(this.clock.now()),
      promptTokens - request.tokens,
    );
  }

  /**
   * Learns from Google's 429: each violation's window is full now and has the size Google names;
   * a day's quota spent cools the credential for the model until the next Pacific midnight,
   * whatever RetryInfo says.
   */
  async failed(
    credential: Credential,
    request: QuotaRequest | undefined,
    error: unknown,
  ): Promise<void> {
    if (!this.options.routing || !request) return;
    if (!(error instanceof UpstreamHttpError) || error.status !== 429) return;
    const model = request.model;
    if (request.countedAt !== undefined) {
      await this.store.release(
        this.keyOf(credential, model),
        windowsAt(request.countedAt),
        request.tokens,
      );
      request.countedAt = undefined;
    }
    if (credential.kind === 'oauth') void this.askUserQuota(credential, model, true);
    const lesson = readQuotaLesson(error.body);
    if (!lesson) return;
    if (lesson.project && credential.kind === 'api-key')
      this.projects.set(credential.id, lesson.project);
    // When the window reopens is Google's to say (RetryInfo, or the day's end): the pool's
    // cooldown keeps the credential out until then; the limit's size stays for the next windows.
    const learned: QuotaLimits = {};
    for (const v of lesson.violations) if (v.value !== undefined) learned[v.limit] = v.value;
    if (Object.keys(learned).length > 0) {
      await this.store.learn(this.keyOf(credential, model), learned);
      this.logger.log(
        `${credential.id} on ${model}: Google's limits ${Object.entries(learned)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
      );
    }
    if (lesson.perDay) {
      const midnight = windowsAt(this.clock.now()).day.end;
      this.pool.cool(credential.id, model, DAILY_QUOTA_REASON, midnight, RATE_LIMIT_BACKOFF);
    }
  }

  /**
   * Code Assist accounts are asked on first use, after a 429, and every few minutes while in use.
   * Settles when the answer is in (`false` when the account could not be reached); only the first
   * ask is worth waiting for.
   */
  askUserQuota(credential: Credential, model: string, now = false): Promise<boolean> {
    if (!this.options.routing || credential.kind !== 'oauth' || !this.reader) return DONE;
    const known = this.userQuota.get(credential.id);
    if (!now && known && known.at + USER_QUOTA_REFRESH_MS > this.clock.now()) return DONE;
    const running = this.asking.get(credential.id);
    if (running) return running;
    const asked = this.reader(credential, model)
      .then((body) => {
        this.userQuota.set(credential.id, { at: this.clock.now(), buckets: readUserQuota(body) });
        return true;
      })
      .catch((error: unknown) => {
        // Unreachable: asked again on its next use. An account without the method keeps being
        // counted and learned like the others.
        if (error instanceof AccountUnreachable) return false;
        this.userQuota.set(credential.id, { at: this.clock.now(), buckets: new Map() });
        return true;
      })
      .finally(() => this.asking.delete(credential.id));
    this.asking.set(credential.id, asked);
    return asked;
  }

  /** The Code Assist buckets last read for a credential, for the status views. */
  userQuotaOf(credentialId: string): ReadonlyMap<string, CodeAssistBucket> | undefined {
    return this.userQuota.get(credentialId)?.buckets;
  }

  /** Whose count a credential's requests go to: its Google project where known. */
  subjectOf(credential: Credential): string {
    const project =
      credential.kind === 'api-key'
        ? (credential.project ?? this.projects.get(credential.id))
        : credential.kind === 'vertex' && credential.mode === 'service-account'
          ? credential.projectId
          : // Code Assist counts per user, not per project: an account is its own subject.
            undefined;
    return project ? `p:${project}` : `c:${credential.id}`;
  }

  keyOf(credential: Credential, model: string): QuotaKey {
    return { subject: this.subjectOf(credential), model };
  }

  /** The limits an operator declared for this credential and model. */
  declaredFor(credential: Credential, model: string): QuotaLimits {
    const own = credential.limits ? limitsFor(credential.limits, model) : undefined;
    if (own) return own;
    return credential.kind === 'api-key' ? (limitsFor(this.options.declared, model) ?? {}) : {};
  }

  private async reserve(
    credential: Credential,
    request: QuotaRequest,
    windows: QuotaWindows,
    now: number,
  ): Promise<Room | typeof UNREACHABLE> {
    if (credential.kind === 'oauth') {
      const asking = this.askUserQuota(credential, request.model);
      if (!this.userQuota.has(credential.id) && !(await asking)) return UNREACHABLE;
      const bucket = this.userQuota.get(credential.id)?.buckets.get(request.model);
      if (bucket && bucket.remainingFraction <= 0 && (bucket.resetAt ?? Infinity) > now) {
        return {
          ok: false,
          limit: 'rpd',
          value: 0,
          reopensAt: bucket.resetAt ?? windows.day.end,
        };
      }
    }
    return this.store.reserve(
      this.keyOf(credential, request.model),
      windows,
      this.declaredFor(credential, request.model),
      request.tokens,
      now,
    );
  }

  private fullError(
    model: string,
    first: { room: Extract<Room, { ok: false }>; credential: Credential },
    now: number,
    pin: ResourcePin | undefined,
  ): ApiError {
    const seconds = Math.max(1, Math.ceil((first.room.reopensAt - now) / 1000));
    const limit =
      first.room.value === 0 && first.credential.kind === 'oauth'
        ? 'its Code Assist quota (retrieveUserQuota: nothing remaining)'
        : describeLimit(first.room.limit, first.room.value);
    const message = pin
      ? `The credential that owns ${pin.resource} (${first.credential.id}) has used its quota for ` +
        `${model} (it allows ${limit}); retry in ${seconds}s. Only it can serve requests naming ` +
        'this resource. The proxy did not call Google.'
      : `No credential has room for ${model}: each has used its quota (the first to reopen, ` +
        `${first.credential.id}, allows ${limit}); retry in ${seconds}s. The proxy did not call Google.`;
    return new ApiError({
      status: 429,
      kind: 'rate_limited',
      googleStatus: 'RESOURCE_EXHAUSTED',
      retryAfterSeconds: seconds,
      message,
    });
  }
}

export function windowsAt(now: number): QuotaWindows {
  return { minute: minuteWindow(now), day: dayWindow(now) };
}
