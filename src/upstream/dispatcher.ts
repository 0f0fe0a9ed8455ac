import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { Clock } from '../time/clock';
import { Credential } from '../credentials/credential';
import { CredentialPool, Selection } from '../credentials/credential-pool';
import { ApiError } from '../errors/api-error';
import { AccountUnreachable, CALL_QUOTA, CallQuota, QuotaRequest } from './call-quota';
import { DebugLog } from './debug-log';
import { classifyUpstreamError } from './error-classifier';
import { FailurePolicy } from './failure-policy';
import { GeminiRequest, GeminiResponse, GeminiUsageMetadata, JsonObject } from './gemini-types';
import { ObservedStream, primeStream } from './observed-stream';
import { BackendCall, EmbedAction, ModelAction, UpstreamBackend } from './upstream-backend';
import { UpstreamBackends } from './upstream-backends';
import { RequestContext } from '../request/request-context';
import { UpstreamEvents } from './upstream-events';
import { modelUnavailable, noCredentialError, toApiError } from './upstream-error-mapping';
import { isFromGoogle, UpstreamNetworkError } from './upstream-errors';
import {
  ownerGone,
  ownerUnavailable,
  RESOURCE_AFFINITY,
  ResourceAffinity,
  ResourcePin,
} from './resource-pin';

export interface DispatchRequest<B = GeminiRequest> {
  /** The upstream model id, without `models/` and without proxy suffixes. */
  model: string;
  body: B;
  /** The client request it serves: its signal cancels the call, its events name it. */
  context: RequestContext;
}

/** A quota read is worth a short wait on an account's first use, never a request's whole timeout. */
const USER_QUOTA_TIMEOUT_MS = 10_000;

type Attempt<T> = (backend: UpstreamBackend, auth: unknown, call: BackendCall) => Promise<T>;

/** The request body as each backend takes it, serialised before any pick. */
type Payloads = Map<UpstreamBackend, string>;

/** What a successful dispatch hands back: the answer and who served it. */
interface Served<T> {
  value: T;
  credential: Credential;
  startedAt: number;
  quota?: QuotaRequest;
}

/**
 * Picks a credential, calls Google, and fails over by Google's reason until one answers, the
 * attempts run out, or the error is the client's own. Nothing has reached the client yet while
 * this runs; streams are primed with their first event before they are handed back.
 */
@Injectable()
export class UpstreamDispatcher {
  private readonly logger = new Logger('Dispatcher');

  constructor(
    private readonly pool: CredentialPool,
    private readonly clock: Clock,
    private readonly backends: UpstreamBackends,
    private readonly failures: FailurePolicy,
    private readonly debug: DebugLog,
    private readonly events: UpstreamEvents,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
    @Inject(CALL_QUOTA) private readonly quota: CallQuota,
    @Optional()
    @Inject(RESOURCE_AFFINITY)
    private readonly affinity?: ResourceAffinity,
  ) {
    quota.useUserQuotaReader(async (credential, model) => {
      const backend = this.backends.for(credential);
      if (!backend.userQuota) return undefined;
      const signal = AbortSignal.timeout(Math.min(this.config.timeoutMs, USER_QUOTA_TIMEOUT_MS));
      let auth: unknown;
      try {
        auth = (await backend.open(credential, signal)).auth;
      } catch (error) {
        // The token the request needs could not be had (a hanging or failing token endpoint):
        // the same verdict an attempt would get, so the request moves on to the next credential.
        if (isFromGoogle(error)) this.failures.apply(credential, model, error);
        throw new AccountUnreachable(error instanceof Error ? error.message : String(error));
      }
      return backend.userQuota(auth, signal);
    });
  }

  async generate(req: DispatchRequest): Promise<GeminiResponse> {
    const served = await this.run(req, 'generateContent', (backend, auth, call) =>
      backend.generate(auth, call),
    );
    const answer = served.value;
    this.reportUsage(req, served, answer.usageMetadata, answer.modelVersion);
    return answer;
  }

  /**
   * generateContent for a native client: a backend that can relay Google's bytes unchanged does
   * (the Gemini API); any other answer is serialised once here.
   */
  async generateBytes(req: DispatchRequest): Promise<Buffer> {
    const served = await this.run(req, 'generateContent', async (backend, auth, call) => {
      if (backend.generateBytes) return backend.generateBytes(auth, call);
      const answer = await backend.generate(auth, call);
      return {
        bytes: Buffer.from(JSON.stringify(answer)),
        usage: answer.usageMetadata,
        modelVersion: answer.modelVersion,
      };
    });
    this.reportUsage(req, served, served.value.usage, served.value.modelVersion);
    return served.value.bytes;
  }

  /**
   * Resolves once Google has sent the first event, so failover stays possible until then. The
   * stream handed back reports time to first token now, and token usage and how it ended later.
   */
  async stream(req: DispatchRequest): Promise<AsyncIterable<GeminiResponse>> {
    const served = await this.run(req, 'streamGenerateContent', async (backend, auth, call) =>
      primeStream(await backend.stream(auth, call), () => this.clock.now()),
    );
    const { value: primed, credential, startedAt } = served;
    const { model, context } = req;
    this.events.emit('firstToken', {
      context,
      model,
      credentialId: credential.id,
      ms: primed.firstAt - startedAt,
    });
    let usage: GeminiUsageMetadata | undefined;
    let modelVersion: string | undefined;
    return new ObservedStream(primed, {
      convertError: (error) => (isFromGoogle(error) ? toApiError(error) : error),
      onEvent: (event) => {
        // Google repeats cumulative usage on late events; the last one seen is the total.
        if (event.usageMetadata) usage = event.usageMetadata;
        if (event.modelVersion) modelVersion = event.modelVersion;
      },
      onEnd: (completed, error) => {
        this.reportUsage(req, served, usage, modelVersion);
        if (completed) {
          this.events.emit('streamEnd', {
            context,
            model,
            credentialId: credential.id,
            outcome: 'complete',
          });
        } else if (error === undefined || req.context.signal.aborted) {
          this.events.emit('streamEnd', {
            context,
            model,
            credentialId: credential.id,
            outcome: 'aborted',
          });
        } else if (!isFromGoogle(error)) {
          this.localFailure(error);
          this.events.emit('streamEnd', {
            context,
            model,
            credentialId: credential.id,
            outcome: 'error',
          });
        } else {
          // Too late to fail over, but the credential still answers for a cut or an in-stream error.
          const verdict = this.failures.apply(credential, model, error);
          this.events.emit('streamEnd', {
            context,
            model,
            credentialId: credential.id,
            outcome: 'error',
            verdict,
          });
        }
      },
    });
  }

  async countTokens(req: DispatchRequest<JsonObject>): Promise<JsonObject> {
    const served = await this.run(req, 'countTokens', (backend, auth, call) =>
      backend.countTokens(auth, call),
    );
    return served.value;
  }

  /** Only credentials whose backend has an embeddings API serve these (Code Assist has none). */
  async embed(action: EmbedAction, req: DispatchRequest<JsonObject>): Promise<JsonObject> {
    const served = await this.run(req, action, (backend, auth, call) =>
      backend.embed(auth, action, call),
    );
    return served.value;
  }

  private async run<T>(
    req: DispatchRequest<unknown>,
    action: ModelAction,
    attempt: Attempt<T>,
  ): Promise<Served<T>> {
    const startedAt = this.clock.now();
    const tried = new Set<string>();
    let lastError: unknown;
    let lastFault: unknown;
    let rateLimited = false;
    let status = 200;
    let credentialId: string | undefined;
    let reason: string | undefined;
    try {
      // A body naming a file or cached content of one project is served by its owner alone.
      const pin = await this.affinity?.pinFor(req.body);
      if (pin && !this.pool.get(pin.owner)) throw ownerGone(pin);
      const canServe = (c: Credential) =>
        (!pin || c.id === pin.owner) && this.backends.for(c).supports(action, c);
      const payloads = this.encode(action, req.body);
      const quota = this.quota.requestOf(action, req, payloads.values().next().value);
      for (let n = 1; n <= this.config.maxAttempts; n++) {
        const selection = await this.quota.select(
          quota,
          (full, prefer) =>
            this.pool.select({ model: req.model, canServe, exclude: union(tried, full), prefer }),
          pin,
        );
        // No credential has room: the proxy's own 429, unless Google's passing fault explains more.
        if (selection.outcome === 'quota-full') {
          if (lastFault === undefined) throw selection.error;
          break;
        }
        if (selection.outcome !== 'selected') {
          if (tried.size === 0) throw this.noneAvailable(selection, req.model, lastError, pin);
          break;
        }
        const credential = selection.credential;
        tried.add(credential.id);
        credentialId = credential.id;
        const t0 = this.clock.now();
        try {
          const value = await this.callWith(credential, req, payloads, action, n, attempt);
          this.pool.markSuccess(credential.id, req.model);
          this.quota.served(credential, quota);
          this.events.emit('attempt', {
            credential,
            model: req.model,
            action,
            attempt: n,
            durationMs: this.clock.now() - t0,
            outcome: 'success',
          });
          return { value, credential, startedAt, quota };
        } catch (error) {
          // A client that hung up is nobody's fault: no cooldown, no further attempt.
          if (req.context.signal.aborted)
            throw new UpstreamNetworkError('aborted', 'The client closed the request');
          // Only Google's answers and the network to Google may change a credential's state.
          if (!isFromGoogle(error)) throw this.localFailure(error);
          const verdict = this.failures.apply(credential, req.model, error);
          await this.quota.failed(credential, quota, error);
          this.events.emit('attempt', {
            credential,
            model: req.model,
            action,
            attempt: n,
            durationMs: this.clock.now() - t0,
            outcome: 'failure',
            verdict,
          });
          if (verdict.action === 'client-error') throw error;
          lastError = error;
          if (verdict.action === 'transient' || verdict.action === 'refresh') lastFault = error;
          rateLimited ||= verdict.action === 'cooldown';
        }
      }
      throw this.exhausted(req.model, canServe, lastError, lastFault, rateLimited, pin);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : toApiError(error);
      status = apiError.status;
      reason = apiError.code ?? apiError.googleStatus ?? apiError.kind;
      throw apiError;
    } finally {
      this.events.emit('dispatch', {
        context: req.context,
        model: req.model,
        action,
        attempts: tried.size,
        credentialId,
        status,
        durationMs: this.clock.now() - startedAt,
        reason,
      });
    }
  }

  /**
   * Serialises the body once per backend that may serve the request, before any credential is
   * picked. The whole body is stringified at most once, whatever the backends. A body the proxy
   * cannot serialise (nested too deeply for the stack) is the client's 400, and no attempt's.
   */
  private encode(action: ModelAction, body: unknown): Payloads {
    let whole: string | undefined;
    const json = () => (whole ??= JSON.stringify(body) ?? '{}');
    const payloads: Payloads = new Map();
    try {
      for (const backend of this.backends.all) {
        payloads.set(backend, backend.encode(action, body, json));
      }
    } catch (error) {
      throw ApiError.badRequest(
        error instanceof RangeError
          ? 'The request body is nested too deeply to be sent to Google.'
          : `The request body cannot be sent to Google: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return payloads;
  }

  /** A failure of the proxy's own during an attempt (a bug): a 500 that blames no credential. */
  private localFailure(error: unknown): ApiError {
    this.logger.error(
      `Internal failure while calling Google: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return new ApiError({
      status: 500,
      kind: 'internal',
      message:
        'The proxy failed while calling Google; the request was not charged to any credential.',
    });
  }

  /** No credential could even be tried. */
  private noneAvailable(
    selection: Exclude<Selection, { outcome: 'selected' }>,
    model: string,
    lastError: unknown,
    pin: ResourcePin | undefined,
  ): ApiError {
    const pinned = pin && ownerUnavailable(pin, selection, this.clock.now());
    if (pinned) return pinned;
    if (selection.outcome === 'all-cooling' && selection.unavailable) {
      return modelUnavailable(model, selection.soonest, this.clock.now());
    }
    return noCredentialError(selection, model, this.clock.now(), lastError);
  }

  /**
   * After the attempts ran out: when every credential is now cooling and a rate limit was among
   * the failures, 429 with the soonest recovery. Else Google's own answer, and Google's last
   * passing fault (its 5xx) before any other: with credentials still eligible, a 429 from one of
   * them would tell the client to back off from a pool that is not rate-limited.
   */
  private exhausted(
    model: string,
    canServe: (c: Credential) => boolean,
    lastError: unknown,
    lastFault: unknown,
    rateLimited: boolean,
    pin: ResourcePin | undefined,
  ): unknown {
    const again = this.pool.select({ model, canServe });
    if (pin && again.outcome === 'all-cooling' && rateLimited && !again.unavailable) {
      return ownerUnavailable(pin, again, this.clock.now());
    }
    if (again.outcome === 'all-cooling') {
      if (again.unavailable) return modelUnavailable(model, again.soonest, this.clock.now());
      if (rateLimited) return noCredentialError(again, model, this.clock.now(), lastError);
    }
    return lastFault ?? lastError;
  }

  private async callWith<T>(
    credential: Credential,
    req: DispatchRequest<unknown>,
    payloads: Payloads,
    action: string,
    n: number,
    attempt: Attempt<T>,
  ): Promise<T> {
    const backend = this.backends.for(credential);
    this.pool.markUsed(credential.id);
    const call: BackendCall = {
      model: req.model,
      payload: payloads.get(backend) ?? '',
      signal: req.context.signal,
    };
    const session = await backend.open(credential, req.context.signal);
    this.debug.credential(session.credential, req.model, n);
    this.debug.upstreamRequest(backend.api, action, req.model, req.body);
    try {
      return await attempt(backend, session.auth, call);
    } catch (error) {
      // A 401 means the access token died early (revoked, clock skew): refresh once, retry once.
      // A refresh that fails (invalid_grant) throws from refresh() and is classified as such.
      if (
        !session.refresh ||
        req.context.signal.aborted ||
        classifyUpstreamError(error, this.clock.now()).action !== 'refresh'
      )
        throw error;
      this.events.emit('retry', {
        credentialId: credential.id,
        model: req.model,
        reason: 'token-refresh',
      });
      return attempt(backend, await session.refresh(), call);
    }
  }

  private reportUsage(
    req: DispatchRequest<unknown>,
    { credential, quota }: Served<unknown>,
    usage: GeminiUsageMetadata | undefined,
    modelVersion: unknown,
  ): void {
    const credentialId = credential.id;
    // Google's field as it came: listeners check it before they log or keep it.
    if (typeof modelVersion === 'string' && modelVersion !== '') {
      this.events.emit('served', {
        context: req.context,
        model: req.model,
        credentialId,
        servedModel: modelVersion,
      });
    }
    if (!usage) return;
    if (quota) this.quota.usage(credentialId, quota, usage.promptTokenCount ?? 0);
    this.events.emit('usage', {
      context: req.context,
      model: req.model,
      credentialId,
      prompt: usage.promptTokenCount ?? 0,
      completion: usage.candidatesTokenCount ?? 0,
      thoughts: usage.thoughtsTokenCount ?? 0,
      cached: usage.cachedContentTokenCount ?? 0,
    });
  }
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  return new Set([...a, ...b]);
}
